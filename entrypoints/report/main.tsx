import { mountPage } from '@/components/mount-page';
import { ReportPage } from '@/components/report-page';
import '@/components/page.css';

mountPage(<ReportPage />);
