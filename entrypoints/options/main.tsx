import { mountPage } from '@/components/mount-page';
import { OptionsPage } from '@/components/options-page';
import '@/components/page.css';

mountPage(<OptionsPage />);
