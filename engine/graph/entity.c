/*
 * Entity linking: which accounts belong to the same customer. Accounts and
 * entity tokens are the nodes of a union-find (Tarjan 1975,
 * doi:10.1145/321879.321884; union by size, path halving); an account is
 * joined with every token it carries, so two accounts are one vertex when a
 * chain of shared tokens connects them, across institutions.
 *
 * Vertex ids are given in order of each vertex's smallest account id, which
 * makes them independent of the order of unions. O((A + E) α) time.
 */
#include "graph/entity.h"

#include "core/alloc.h"
#include "core/error.h"

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void unite(uint32_t *parent, uint32_t *size, uint32_t a, uint32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a == b) {
        return;
    }
    if (size[a] < size[b]) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    size[a] += size[b];
}

int pg_entity_vertices(uint32_t *vertex_of_account, uint32_t *n_vertices, uint32_t n_accounts,
                       const uint32_t *entity, uint32_t n_entities, const uint32_t *link_acct,
                       const uint32_t *link_entity, size_t n_links)
{
    size_t nodes = (size_t)n_accounts + n_entities;
    uint32_t *parent = pg_malloc_array(nodes ? nodes : 1, sizeof(*parent));
    uint32_t *size = pg_malloc_array(nodes ? nodes : 1, sizeof(*size));
    uint32_t *vertex_of_root = pg_malloc_array(nodes ? nodes : 1, sizeof(*vertex_of_root));
    if (!parent || !size || !vertex_of_root) {
        pg_free(parent);
        pg_free(size);
        pg_free(vertex_of_root);
        return pg_error_oom("entity union-find", nodes * 12);
    }
    for (size_t i = 0; i < nodes; i++) {
        parent[i] = (uint32_t)i;
        size[i] = 1;
        vertex_of_root[i] = UINT32_MAX;
    }
    for (uint32_t a = 0; a < n_accounts; a++) {
        if (entity[a] != UINT32_MAX) {
            unite(parent, size, a, n_accounts + entity[a]);
        }
    }
    for (size_t l = 0; l < n_links; l++) {
        unite(parent, size, link_acct[l], n_accounts + link_entity[l]);
    }
    uint32_t n = 0;
    for (uint32_t a = 0; a < n_accounts; a++) {
        uint32_t r = find(parent, a);
        if (vertex_of_root[r] == UINT32_MAX) {
            vertex_of_root[r] = n++;
        }
        vertex_of_account[a] = vertex_of_root[r];
    }
    *n_vertices = n;
    pg_free(parent);
    pg_free(size);
    pg_free(vertex_of_root);
    return 0;
}
