export default defineContentScript({
  matches: ['https://platform.openai.com/*'],
  main() {
    document.documentElement.dataset.keymeter = 'on';
  },
});
