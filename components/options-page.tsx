import { OrgSettings } from './org-settings';

export function OptionsPage() {
  return (
    <main className="km-page">
      <h1>Keymeter settings</h1>
      <OrgSettings />
    </main>
  );
}
