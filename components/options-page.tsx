import { HistorySettings } from './history-settings';
import { OrgSettings } from './org-settings';
import { PriceOverridesEditor } from './price-overrides';
import { SyncSettingsForm } from './sync-settings';

export function OptionsPage() {
  return (
    <main className="km-page">
      <h1>Keymeter settings</h1>
      <OrgSettings />
      <SyncSettingsForm />
      <PriceOverridesEditor />
      <HistorySettings />
    </main>
  );
}
