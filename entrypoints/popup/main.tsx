import { mountPage } from '@/components/mount-page';
import { Popup } from '@/components/popup';
import '@/components/page.css';

mountPage(<Popup />);
