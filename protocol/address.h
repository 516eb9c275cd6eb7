/* ZK Stack addresses and storage keys (DESIGN D8; reference/zkstack-protocol.md §3.1, §5.1): the system
 * contracts' fixed addresses, the storage slot keys of balances and nonces, EraVM (ZK) and EVM CREATE/CREATE2
 * addresses, and the L1→L2 address alias. Addresses are 20 bytes, big-endian, as on the wire. */
#ifndef KILN_PROTO_ADDRESS_H
#define KILN_PROTO_ADDRESS_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* System contracts (kernel space, offset 0x8000). */
#define KILN_SYSTEM_CONTRACTS_OFFSET 0x8000u
#define KILN_ADDR_BOOTLOADER 0x8001u
#define KILN_ADDR_ACCOUNT_CODE_STORAGE 0x8002u
#define KILN_ADDR_NONCE_HOLDER 0x8003u
#define KILN_ADDR_KNOWN_CODES_STORAGE 0x8004u
#define KILN_ADDR_IMMUTABLE_SIMULATOR 0x8005u
#define KILN_ADDR_CONTRACT_DEPLOYER 0x8006u
#define KILN_ADDR_FORCE_DEPLOYER 0x8007u
#define KILN_ADDR_L1_MESSENGER 0x8008u
#define KILN_ADDR_MSG_VALUE_SIMULATOR 0x8009u
#define KILN_ADDR_L2_BASE_TOKEN 0x800au
#define KILN_ADDR_SYSTEM_CONTEXT 0x800bu
#define KILN_ADDR_BOOTLOADER_UTILITIES 0x800cu
#define KILN_ADDR_EVENT_WRITER 0x800du
#define KILN_ADDR_COMPRESSOR 0x800eu
#define KILN_ADDR_COMPLEX_UPGRADER 0x800fu
#define KILN_ADDR_KECCAK256 0x8010u
#define KILN_ADDR_PUBDATA_CHUNK_PUBLISHER 0x8011u
#define KILN_ADDR_CODE_ORACLE 0x8012u
#define KILN_ADDR_EVM_GAS_MANAGER 0x8013u
#define KILN_ADDR_EVM_PREDEPLOYS_MANAGER 0x8014u
#define KILN_ADDR_EVM_HASHES_STORAGE 0x8015u
#define KILN_USER_CONTRACTS_OFFSET 0x10000u
#define KILN_ADDR_CREATE2_FACTORY 0x10000u
#define KILN_ADDR_L2_GENESIS_UPGRADE 0x10001u
/* Ethereum precompiles keep their addresses. */
#define KILN_ADDR_ECRECOVER 0x01u
#define KILN_ADDR_SHA256 0x02u
#define KILN_ADDR_IDENTITY 0x04u
#define KILN_ADDR_MODEXP 0x05u
#define KILN_ADDR_ECADD 0x06u
#define KILN_ADDR_ECMUL 0x07u
#define KILN_ADDR_ECPAIRING 0x08u
#define KILN_ADDR_P256_VERIFY 0x100u

/* The 20-byte form of a short address (0x…8001). */
void kiln_system_address(uint8_t out[20], uint32_t short_addr);

/* Solidity mapping(address => …) at storage slot `slot`: keccak256(pad32(addr) ‖ u256(slot)). */
void kiln_mapping_slot_key(uint8_t out[32], const uint8_t addr[20], uint64_t slot);
/* L2BaseToken (0x800a) balance key of addr: the mapping at slot 0. */
void kiln_eth_balance_key(uint8_t out[32], const uint8_t addr[20]);
/* NonceHolder (0x8003) raw nonce key of addr: the mapping at slot 0. */
void kiln_nonce_holder_key(uint8_t out[32], const uint8_t addr[20]);
/* Standard ERC-20 balance slot used by zksync-era's token tests: the mapping at slot 51. */
#define KILN_ERC20_BALANCE_SLOT 51u

/* EraVM CREATE: keccak256(keccak256("zksyncCreate") ‖ pad32(sender) ‖ u256(deploy_nonce))[12..32]. */
void kiln_zk_create_address(uint8_t out[20], const uint8_t sender[20], uint64_t deploy_nonce);
/* EraVM CREATE2: keccak256(keccak256("zksyncCreate2") ‖ pad32(sender) ‖ salt ‖ bytecode_hash ‖
 * keccak256(constructor_input))[12..32]; constructor_input_hash is that last keccak. */
void kiln_zk_create2_address(uint8_t out[20], const uint8_t sender[20], const uint8_t salt[32],
                             const uint8_t bytecode_hash[32], const uint8_t constructor_input_hash[32]);
/* EVM CREATE: keccak256(rlp([sender, nonce]))[12..32]. */
void kiln_evm_create_address(uint8_t out[20], const uint8_t sender[20], uint64_t nonce);
/* EVM CREATE2: keccak256(0xff ‖ sender ‖ salt ‖ keccak256(init_code))[12..32]. */
void kiln_evm_create2_address(uint8_t out[20], const uint8_t sender[20], const uint8_t salt[32],
                              const uint8_t init_code_hash[32]);

/* L1→L2 alias: l2 = l1 + 0x1111000000000000000000000000000000001111 mod 2^160; and its inverse. */
void kiln_l1_to_l2_alias(uint8_t out[20], const uint8_t l1[20]);
void kiln_l2_to_l1_unalias(uint8_t out[20], const uint8_t l2[20]);

#ifdef __cplusplus
}
#endif
#endif
