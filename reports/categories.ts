/**
 * Allure categories, first match wins. They separate what a reader must act on differently:
 * a known upstream defect (tracked, expected), a security finding, a product defect (an
 * assertion on chain state failed), and a broken test or broken infrastructure.
 * Tests mark the first two by prefixing their assertion message.
 */
export const KNOWN_UPSTREAM = '[known upstream issue]';
export const SECURITY_FINDING = '[security finding]';

export const CATEGORIES = [
  { name: 'Known upstream issues', matchedStatuses: ['failed', 'broken'], messageRegex: `.*${escape(KNOWN_UPSTREAM)}.*` },
  { name: 'Security findings', matchedStatuses: ['failed', 'broken'], messageRegex: `.*${escape(SECURITY_FINDING)}.*` },
  {
    name: 'Infrastructure (Docker, images, network boot)',
    matchedStatuses: ['failed', 'broken'],
    messageRegex: '.*(pocket-e2e:|PocketE2EError|did not start|did not come up|Docker|docker |container).*',
  },
  { name: 'Product defects', matchedStatuses: ['failed'] },
  { name: 'Broken tests', matchedStatuses: ['broken'] },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
