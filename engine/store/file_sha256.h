/* SHA-256 of a whole file (file_sha256.c), for the record of which earlier file a run read. */
#ifndef PG_STORE_FILE_SHA256_H
#define PG_STORE_FILE_SHA256_H

/* hex: 64 lowercase hex digits and a NUL. PG_EIO naming path; PG_EDEP; PG_ENOMEM. */
int pg_file_sha256(const char *path, char hex[65]);

#endif
