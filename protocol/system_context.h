/* SystemContext's storage (address 0x800b) as the ZK Stack lays it out (zkstack-protocol.md §3.2), for the
 * slots Kiln's bootloader keeps: the current batch and L2 block, each packed as number << 128 | timestamp,
 * and the ring of the last 257 L2 block hashes. Changes to these slots cost no pubdata. */
#ifndef KILN_PROTO_SYSTEM_CONTEXT_H
#define KILN_PROTO_SYSTEM_CONTEXT_H

#define KILN_SYSCTX_BATCH_INFO_SLOT 7u
#define KILN_SYSCTX_BLOCK_INFO_SLOT 9u
#define KILN_SYSCTX_BLOCK_HASHES_SLOT 11u /* l2BlockHash[number % 257] */
#define KILN_BLOCK_HASHES_KEPT 257u

#endif
