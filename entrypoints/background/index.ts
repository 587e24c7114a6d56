export default defineBackground(() => {
  console.log('keymeter background up');
});
