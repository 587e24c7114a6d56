import { benchHistoryDb } from './history-db';

const r = await benchHistoryDb({ simPort: 9, log: console.log });
console.log(JSON.stringify(r, null, 1));
