/**
 * Removes the kube-proxy table (upstream's CleanupLeftovers for the nftables mode): the
 * proxier's cleanup(), `k8ts killall`, and a node whose proxy runs in another mode now. The table
 * is declared first, so deleting it is no error when there was none.
 *
 *   removeNftablesRules(options?: { nft?: Nft; report?: (line: string) => void }): Promise<void>
 */
import { FAMILY_TABLE } from './names.js';
import { hostNft, type Nft } from './nft.js';

export async function removeNftablesRules(options: { nft?: Nft; report?: (line: string) => void } = {}): Promise<void> {
  const nft = options.nft ?? hostNft();
  const { chains, sets } = await nft.list();
  if (chains.length === 0 && sets.length === 0) return;
  await nft.run([`add table ${FAMILY_TABLE}`, `delete table ${FAMILY_TABLE}`]);
  options.report?.(`removed the service proxy's nftables table (${FAMILY_TABLE})`);
}
