/* Entity linking by union-find over accounts and entity tokens. */
#ifndef PG_GRAPH_ENTITY_H
#define PG_GRAPH_ENTITY_H

#include <stddef.h>
#include <stdint.h>

/*
 * vertex_of_account[a] for every account: accounts connected through shared
 * entity tokens get the same vertex; vertices are numbered by their smallest
 * account. entity[a] is the account's token id or UINT32_MAX; the links are
 * extra (account, token) pairs.
 */
int pg_entity_vertices(uint32_t *vertex_of_account, uint32_t *n_vertices, uint32_t n_accounts,
                       const uint32_t *entity, uint32_t n_entities, const uint32_t *link_acct,
                       const uint32_t *link_entity, size_t n_links);

#endif
