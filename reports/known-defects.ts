/**
 * The tracked upstream defects: one entry each in known-defects.json (read by the gate, the test
 * helper fixtures/known-defect.ts and the Allure config). A test tolerates a defect only by
 * reaching it on a healthy network and observing exactly its signature; a test that observes
 * the correct behaviour instead turns the gate red with "fixed upstream?" until the entry goes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KNOWN_UPSTREAM } from './categories';

export interface KnownDefect {
  /** Stable id, e.g. PJS-APPUNJAIL-TYPEURL: `PC-` for pocket-core, `PJS-` for pocket-js. */
  id: string;
  upstream: 'pocket-core' | 'pocket-js';
  /** One line: what is wrong. */
  title: string;
  /** The exact observable that proves it is still there (status, body, value), in words; the test asserts the value. */
  observable: string;
}

export const KNOWN_DEFECTS_FILE = path.join(__dirname, 'known-defects.json');

export function parseKnownDefects(json: string): KnownDefect[] {
  const entries = JSON.parse(json) as KnownDefect[];
  const seen = new Set<string>();
  for (const e of entries) {
    if (!/^(PC|PJS)-[A-Z0-9-]+$/.test(e.id)) throw new Error(`known defect id ${JSON.stringify(e.id)} must look like PC-SOME-NAME or PJS-SOME-NAME`);
    if (seen.has(e.id)) throw new Error(`known defect ${e.id} is listed twice`);
    if (e.upstream !== (e.id.startsWith('PJS-') ? 'pocket-js' : 'pocket-core')) throw new Error(`known defect ${e.id}: upstream ${e.upstream} does not match its id prefix`);
    if (!e.title?.trim() || !e.observable?.trim()) throw new Error(`known defect ${e.id} needs a title and an observable`);
    seen.add(e.id);
  }
  return entries;
}

let cached: KnownDefect[] | undefined;
export function knownDefects(): KnownDefect[] {
  return (cached ??= parseKnownDefects(fs.readFileSync(KNOWN_DEFECTS_FILE, 'utf8')));
}

export function knownDefect(id: string): KnownDefect {
  const found = knownDefects().find((d) => d.id === id);
  if (!found) throw new Error(`${id} is not a tracked defect: add it to reports/known-defects.json (id, upstream, title, observable)`);
  return found;
}

/** The prefix of a tolerated failure's message: the category marker and the defect id. */
export const defectMarker = (id: string) => `${KNOWN_UPSTREAM} ${id}:`;

/** Whether a failure message leads with that marker (reporters put the error's class first: "Error: "). */
export const leadsWithMarker = (message: string, id: string) => message.replace(/^\w*Error: /, '').startsWith(defectMarker(id));

/** Allure labels the helper sets: the defect a test reached, or the one it found fixed. */
export const KNOWN_DEFECT_LABEL = 'knownDefect';
export const FIXED_DEFECT_LABEL = 'knownDefectFixed';
