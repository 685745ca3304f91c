/**
 * Run with `node --expose-gc --import tsx test/helpers/measure-entry-heap.ts`: prints, as one JSON line, the live
 * heap one cached 100-item internet-event page really takes (500 pages kept, heap measured after full collections)
 * next to what the memory store estimates for it, and what the estimate costs per page.
 */
import { estimateEntryBytes } from '../../src/cache/memory-store.js';
import { internetEventPageEntry, internetEventsWireText } from './internet-event-page.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const PAGES = 500;
const KEY = 'List:internetmonitor:ListInternetEvents:2020-01-01T00:00:00.000Z///:100:';
const wire = internetEventsWireText();

gc();
gc();
const before = process.memoryUsage().heapUsed;
const kept = [];
for (let i = 0; i < PAGES; i++) kept.push(internetEventPageEntry(wire, `token-${i}`.padEnd(44, '.')));
gc();
gc();
const heapBytesPerPage = (process.memoryUsage().heapUsed - before) / PAGES;

const page = kept[0]!;
for (let i = 0; i < 1_000; i++) estimateEntryBytes(KEY, page);
const rounds = 5_000;
const start = process.hrtime.bigint();
let sum = 0;
for (let i = 0; i < rounds; i++) sum += estimateEntryBytes(KEY, kept[i % PAGES]!);
const estimateMicrosPerPage = Number(process.hrtime.bigint() - start) / rounds / 1_000;

const jsonStart = process.hrtime.bigint();
for (let i = 0; i < 1_000; i++) sum += JSON.stringify(kept[i % PAGES]!).length;
const jsonMicrosPerPage = Number(process.hrtime.bigint() - jsonStart) / 1_000 / 1_000;

console.log(
  JSON.stringify({
    pages: kept.length,
    heapBytesPerPage: Math.round(heapBytesPerPage),
    estimatedBytesPerPage: estimateEntryBytes(KEY, page),
    jsonBytesPerPage: JSON.stringify(page).length,
    estimateMicrosPerPage: Number(estimateMicrosPerPage.toFixed(2)),
    jsonMicrosPerPage: Number(jsonMicrosPerPage.toFixed(2)),
    checksum: sum > 0,
  }),
);
