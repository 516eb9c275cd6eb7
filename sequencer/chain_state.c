#include "sequencer/chain_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protocol/address.h"
#include "protocol/l2_block.h"

/* DIR/tree holds the RocksDB state tree; DIR/last_batch the last sealed batch's StoredBatchInfo (256 bytes)
 * and the next priority operation's id (u64 little-endian). */
#define LAST_LEN (256 + 8)

static char *path_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = (char *)malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static kiln_status write_file_durably(const char *path, const uint8_t *data, size_t len, char *err, size_t errlen) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return KILN_ERR_IO;
    }
    ssize_t w = write(fd, data, len);
    int ok = w == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return KILN_ERR_IO;
    }
    return KILN_OK;
}

static kiln_status load_last(kiln_chain_state *cs, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return KILN_ERR_IO;
    }
    uint8_t b[LAST_LEN];
    size_t n = fread(b, 1, LAST_LEN, f);
    int extra = fgetc(f) != EOF;
    fclose(f);
    if (n != LAST_LEN || extra || kiln_stored_batch_info_decode(&cs->last, b) != KILN_OK) {
        snprintf(err, errlen, "%s: not a StoredBatchInfo and a priority queue position", path);
        return KILN_ERR_PARSE;
    }
    memcpy(cs->last_encoded, b, 256);
    cs->next_priority_id = 0;
    for (int i = 7; i >= 0; i--)
        cs->next_priority_id = cs->next_priority_id << 8 | b[256 + i];
    return KILN_OK;
}

static kiln_status genesis(kiln_chain_state *cs, const kiln_genesis_balance *g, size_t n, char *err, size_t errlen) {
    uint8_t token[20], slot[32], key[32], proof[KILN_TREE_PROOF_MAX];
    kiln_system_address(token, KILN_ADDR_L2_BASE_TOKEN);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        kiln_eth_balance_key(slot, g[i].addr);
        kiln_state_key(token, slot, key);
        kiln_status st = kiln_state_tree_step_proof(cs->tree, key, g[i].amount, proof, sizeof proof, &len, err, errlen);
        if (st != KILN_OK) return st;
    }
    kiln_tree_commitment c;
    kiln_state_tree_commitment(cs->tree, &c);
    memset(&cs->last, 0, sizeof cs->last);
    memcpy(cs->last.batch_hash, c.root, 32);
    cs->last.index_repeated_storage_changes = c.next_free;
    memcpy(cs->last.priority_operations_hash, KILN_EMPTY_STRING_KECCAK, 32);
    return kiln_chain_state_seal(cs, &cs->last, 0, err, errlen);
}

kiln_status kiln_chain_state_open(const char *dir, const kiln_genesis_balance *g, size_t n_genesis,
                                  kiln_chain_state *cs, char *err, size_t errlen) {
    memset(cs, 0, sizeof *cs);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return KILN_ERR_IO;
    }
    cs->dir = strdup(dir);
    char *tree = path_join(dir, "tree"), *last = path_join(dir, "last_batch");
    kiln_status st = (!cs->dir || !tree || !last) ? KILN_ERR_OUT_OF_MEMORY : KILN_OK;
    struct stat sb;
    int fresh = st == KILN_OK && stat(last, &sb) != 0;
    if (st == KILN_OK) st = kiln_state_tree_open(tree, &cs->tree, err, errlen);
    if (st == KILN_OK && fresh) {
        kiln_tree_commitment c, g0;
        kiln_state_tree_committed(cs->tree, &c);
        kiln_tree_genesis(&g0);
        if (memcmp(c.root, g0.root, 32) != 0 || c.next_free != g0.next_free) {
            snprintf(err, errlen, "%s: the state tree holds data but there is no last_batch record", dir);
            st = KILN_ERR_PARSE;
        } else {
            st = genesis(cs, g, n_genesis, err, errlen);
            cs->created = 1;
        }
    } else if (st == KILN_OK) {
        st = load_last(cs, last, err, errlen);
        kiln_tree_commitment c;
        kiln_state_tree_committed(cs->tree, &c);
        if (st == KILN_OK && (memcmp(c.root, cs->last.batch_hash, 32) != 0 ||
                              c.next_free != cs->last.index_repeated_storage_changes)) {
            /* The record is written first: a crash between it and the tree's commit leaves the tree behind. */
            snprintf(err, errlen, "%s: the state tree does not match the last batch %llu (interrupted seal?)", dir,
                     (unsigned long long)cs->last.batch_number);
            st = KILN_ERR_PARSE;
        }
    }
    free(tree);
    free(last);
    if (st != KILN_OK) kiln_chain_state_close(cs);
    return st;
}

kiln_status kiln_chain_state_seal(kiln_chain_state *cs, const kiln_stored_batch_info *info, uint64_t n_priority_ops,
                                  char *err, size_t errlen) {
    kiln_tree_commitment c;
    kiln_state_tree_commitment(cs->tree, &c);
    if (memcmp(c.root, info->batch_hash, 32) != 0 || c.next_free != info->index_repeated_storage_changes) {
        snprintf(err, errlen, "seal: the batch's state root is not the tree's");
        return KILN_ERR_INTERNAL;
    }
    uint8_t enc[LAST_LEN];
    uint64_t next_id = cs->next_priority_id + n_priority_ops;
    kiln_stored_batch_info_encode(enc, info);
    for (int i = 0; i < 8; i++)
        enc[256 + i] = (uint8_t)(next_id >> (8 * i));
    char *last = path_join(cs->dir, "last_batch");
    if (!last) return KILN_ERR_OUT_OF_MEMORY;
    kiln_status st = write_file_durably(last, enc, LAST_LEN, err, errlen);
    free(last);
    if (st == KILN_OK) st = kiln_state_tree_commit(cs->tree, err, errlen);
    if (st == KILN_OK) {
        cs->last = *info;
        memcpy(cs->last_encoded, enc, 256);
        cs->next_priority_id = next_id;
    }
    return st;
}

void kiln_chain_state_close(kiln_chain_state *cs) {
    kiln_state_tree_close(cs->tree);
    free(cs->dir);
    memset(cs, 0, sizeof *cs);
}

kiln_status kiln_chain_state_account(kiln_chain_state *cs, const uint8_t addr[20], uint8_t balance[32],
                                     uint64_t *nonce, char *err, size_t errlen) {
    uint8_t contract[20], slot[32], key[32], v[32];
    int exists;
    uint64_t index;
    kiln_system_address(contract, KILN_ADDR_L2_BASE_TOKEN);
    kiln_eth_balance_key(slot, addr);
    kiln_state_key(contract, slot, key);
    kiln_status st = kiln_state_tree_get(cs->tree, key, balance, &exists, &index, err, errlen);
    if (st != KILN_OK) return st;
    kiln_system_address(contract, KILN_ADDR_NONCE_HOLDER);
    kiln_nonce_holder_key(slot, addr);
    kiln_state_key(contract, slot, key);
    if ((st = kiln_state_tree_get(cs->tree, key, v, &exists, &index, err, errlen)) != KILN_OK) return st;
    *nonce = 0;
    for (int i = 24; i < 32; i++)
        *nonce = *nonce << 8 | v[i];
    return KILN_OK;
}
