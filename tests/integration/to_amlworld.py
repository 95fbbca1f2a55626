#!/usr/bin/env python3
"""Rewrite a generated world in the layout of IBM's AMLworld transaction files.

    to_amlworld.py WORLD_DIR OUT_DIR

AMLworld (Altman et al., NeurIPS 2023) has no transaction ids, references,
accounts file, watchlist or countries; times are to the minute, on the local
clock without a zone (here: the clock of the world's commonest account
country); banks are numeric codes whose leading zeros matter; currencies and
payment formats are words. The
planted truth is rewritten with the same bank codes, so `paygraph eval`
scores a scan of the rewritten file against it. Institutions get codes such
as 010, 0011 and 00012: distinct only with their leading zeros kept.
"""
import csv
import datetime
import os
import sys

CURRENCY = {"AUD": "Australian Dollar", "USD": "US Dollar", "EUR": "Euro",
            "GBP": "UK Pound", "PHP": "Rupee", "INR": "Rupee", "CNY": "Yuan"}
FORMAT = {"transfer": "ACH", "card": "Credit Card", "bill": "Cheque", "cash": "Cash",
          "remittance": "Wire", "wallet": "Reinvestment"}
# minutes east of UTC of the countries the generator uses for its accounts
UTC_OFFSET = {"AU": 600, "NZ": 720, "PH": 480, "ID": 420, "TH": 420, "VN": 420, "IN": 330,
              "GB": 0, "US": -300, "SG": 480, "MY": 480}
HEADER = ["Timestamp", "From Bank", "Account", "To Bank", "Account.1", "Amount Received",
          "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format",
          "Is Laundering"]


def bank_codes(path):
    names = set()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            names.add(row["src_institution"])
            names.add(row["dst_institution"])
    return {n: "0" * (1 + i % 3) + str(10 + i) for i, n in enumerate(sorted(names))}


def home_offset(path):
    counts = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            counts[row["country"]] = counts.get(row["country"], 0) + 1
    return UTC_OFFSET.get(max(counts, key=counts.get), 0) if counts else 0


def local_minute(ts, offset):
    # 2026-02-28T16:04:51Z -> 2026/03/01 02:04 on a clock 10 hours east of UTC
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(minutes=offset)
    return t.strftime("%Y/%m/%d %H:%M")


def main(world, out):
    os.makedirs(out, exist_ok=True)
    codes = bank_codes(os.path.join(world, "transactions.csv"))
    offset = home_offset(os.path.join(world, "accounts.csv"))
    with open(os.path.join(world, "transactions.csv"), newline="") as f, \
            open(os.path.join(out, "transactions.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(HEADER)
        for r in csv.DictReader(f):
            cur = CURRENCY[r["currency"]]
            w.writerow([local_minute(r["timestamp"], offset), codes[r["src_institution"]], r["src_account"],
                        codes[r["dst_institution"]], r["dst_account"], r["amount"], cur,
                        r["amount"], cur, FORMAT.get(r["channel"], "ACH"), r["label"] or "0"])
    with open(os.path.join(world, "truth.csv"), newline="") as f, \
            open(os.path.join(out, "truth.csv"), "w", newline="") as g:
        rows = list(csv.DictReader(f))
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["institution", "account", "ring", "role"])
        for r in rows:
            w.writerow([codes.get(r["institution"], r["institution"]), r["account"], r["ring"],
                        r["role"]])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: to_amlworld.py WORLD_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
