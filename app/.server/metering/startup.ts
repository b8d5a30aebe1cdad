// What metering needs before the server takes traffic: a valid price book (a malformed or
// incomplete prices.json stops the start with a PriceFileError naming the entry and field),
// and the retention job registered (importing retention.ts registers it).
import '~/.server/governance/retention';
import { getDefaultPriceBook } from './prices';

export function prepareMetering(log: (line: string) => void = () => {}) {
  const book = getDefaultPriceBook();
  log(`[metering] price book ${book.source}: ${book.entries.length} entries`);
}
