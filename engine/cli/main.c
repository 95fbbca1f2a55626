/*
 * paygraph command-line entry point: dispatches `paygraph <command> ...` to
 * one file per command (cmd_<name>.c).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("paygraph %s (%s)\n", pg_version(), pg_build_commit());
    return 0;
}

static const pg_command commands[] = {
    {"generate", "write a synthetic payment world with planted rings", cmd_generate},
    {"ingest", "validate and pool input files into an HDF5 pool", cmd_ingest},
    {"info", "counts, degrees, components and memory of a pool", cmd_info},
    {"scan", "find, score, explain and picture payment rings: the full job", cmd_scan},
    {"communities", "Leiden or Louvain communities of the payment graph", cmd_communities},
    {"score", "per-account risk scores and features to an HDF5 results file", cmd_score},
    {"paths", "follow the money: nearest accounts, shortest chains, money-flow paths", cmd_paths},
    {"eval", "score a ring report against planted truth", cmd_eval},
    {"keygen", "write a new random pseudonymisation key", cmd_keygen},
    {"pseudonymize", "replace account and customer identifiers by keyed pseudonyms",
     cmd_pseudonymize},
    {"reveal", "re-identify your own accounts in a pooled report", cmd_reveal},
    {"version", "print the version", cmd_version},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: paygraph <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\n'paygraph <command> --help' describes each command.\n"
               "Exit codes: 0 ok, 1 usage, 2 bad input, 3 resources (memory, disk), 4 internal.\n");
}

/*
 * OpenMP threads that wait at a barrier spin by default (libgomp: about a
 * millisecond, then sleep). Where the CPUs are shared, virtual or
 * oversubscribed (cluster nodes, cloud VMs) a spinning thread takes the time
 * its partner needs: on a 2-vCPU VM the 2-thread Leiden, Louvain and cycle
 * searches ran 1.3-4x slower spinning than sleeping. libgomp reads the
 * policy once, before main, so paygraph starts itself again with
 * OMP_WAIT_POLICY=passive unless the user chose a policy. If the re-start
 * fails, it goes on with the default policy.
 */
static void prefer_passive_wait(char **argv)
{
    if (!getenv("OMP_WAIT_POLICY") && setenv("OMP_WAIT_POLICY", "passive", 1) == 0) {
        execv("/proc/self/exe", argv);
        unsetenv("OMP_WAIT_POLICY"); /* still here: the runtime keeps its default */
    }
}

int main(int argc, char **argv)
{
    prefer_passive_wait(argv);
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        return cmd_version(0, NULL);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (!strcmp(argv[1], commands[i].name)) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "paygraph: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 1;
}
