// scratch: markdown of a saved run's table (not committed)
import { readFileSync } from 'node:fs';
import { rowCells, TITLES } from './src/report.ts';
const run = JSON.parse(readFileSync(process.argv[2] as string, 'utf8'));
console.log(`| ${TITLES.join(' | ')} |`);
console.log(`| ${TITLES.map(() => '---').join(' | ')} |`);
for (const row of run.rows) console.log(`| ${rowCells(row).join(' | ')} |`);
