/*
 * Currency table: ISO 4217 codes and minor units, plus crypto assets.
 *
 * Minor units follow the ISO 4217 list (table A.1) as published by the
 * maintenance agency (SIX): most currencies 2, JPY/KRW/VND/CLP/ISK/UGX/PYG
 * and the CFA francs 0, the Gulf and North African dinars and the Omani rial
 * 3. Currencies whose coins are no longer used (IDR, HUF, ...) keep the ISO
 * figure, 2, because bank exports still write two decimals.
 *
 * Crypto assets have no ISO code; the tickers are used and the scale is a
 * choice that keeps amounts exact in an int64:
 *   BTC  8  (1 satoshi = 1e-8 BTC, the protocol's unit; AMLworld writes six
 *           decimals, which fit exactly; int64 holds up to 92 billion BTC)
 *   ETH  8  (the protocol's unit is 1e-18 ETH, but at scale 18 an int64
 *           overflows at 9.2 ETH; 8 decimals matches what exchanges and
 *           payment exports show and holds 92 billion ETH)
 *   USDT 6  (the token contract's own decimals on Ethereum and Tron)
 *
 * Lookup packs the (at most 4) code letters into an integer and scans the
 * table: under 100 entries, one compare each, and the CSV reader caches the
 * result per distinct string anyway.
 */
#include "ingest/currency.h"

#include <string.h>

#include "paygraph/common.h"

typedef struct entry {
    const char *code;
    uint8_t scale;
    const char *name;
} entry;

/* Order is the id: append only, so that stored ids keep their meaning. */
static const entry table[] = {
    {"USD", 2, "US dollar"},
    {"EUR", 2, "euro"},
    {"GBP", 2, "pound sterling"},
    {"JPY", 0, "yen"},
    {"CNY", 2, "yuan renminbi"},
    {"AUD", 2, "Australian dollar"},
    {"CAD", 2, "Canadian dollar"},
    {"CHF", 2, "Swiss franc"},
    {"NZD", 2, "New Zealand dollar"},
    {"HKD", 2, "Hong Kong dollar"},
    {"SGD", 2, "Singapore dollar"},
    {"KRW", 0, "won"},
    {"INR", 2, "Indian rupee"},
    {"PHP", 2, "Philippine peso"},
    {"THB", 2, "baht"},
    {"VND", 0, "dong"},
    {"IDR", 2, "rupiah"},
    {"MYR", 2, "Malaysian ringgit"},
    {"MXN", 2, "Mexican peso"},
    {"BRL", 2, "Brazilian real"},
    {"SAR", 2, "Saudi riyal"},
    {"ILS", 2, "new Israeli sheqel"},
    {"RUB", 2, "Russian ruble"},
    {"KWD", 3, "Kuwaiti dinar"},
    {"BHD", 3, "Bahraini dinar"},
    {"OMR", 3, "Rial Omani"},
    {"JOD", 3, "Jordanian dinar"},
    {"IQD", 3, "Iraqi dinar"},
    {"LYD", 3, "Libyan dinar"},
    {"TND", 3, "Tunisian dinar"},
    {"AED", 2, "UAE dirham"},
    {"QAR", 2, "Qatari rial"},
    {"TRY", 2, "Turkish lira"},
    {"ZAR", 2, "rand"},
    {"SEK", 2, "Swedish krona"},
    {"NOK", 2, "Norwegian krone"},
    {"DKK", 2, "Danish krone"},
    {"ISK", 0, "Iceland krona"},
    {"PLN", 2, "zloty"},
    {"CZK", 2, "Czech koruna"},
    {"HUF", 2, "forint"},
    {"RON", 2, "Romanian leu"},
    {"BGN", 2, "Bulgarian lev"},
    {"UAH", 2, "hryvnia"},
    {"KZT", 2, "tenge"},
    {"TWD", 2, "new Taiwan dollar"},
    {"PKR", 2, "Pakistan rupee"},
    {"BDT", 2, "taka"},
    {"LKR", 2, "Sri Lanka rupee"},
    {"NPR", 2, "Nepalese rupee"},
    {"KHR", 2, "riel"},
    {"LAK", 2, "lao kip"},
    {"MMK", 2, "kyat"},
    {"MOP", 2, "pataca"},
    {"EGP", 2, "Egyptian pound"},
    {"MAD", 2, "Moroccan dirham"},
    {"NGN", 2, "naira"},
    {"GHS", 2, "Ghana cedi"},
    {"KES", 2, "Kenyan shilling"},
    {"UGX", 0, "Uganda shilling"},
    {"TZS", 2, "Tanzanian shilling"},
    {"XOF", 0, "CFA franc BCEAO"},
    {"XAF", 0, "CFA franc BEAC"},
    {"ARS", 2, "Argentine peso"},
    {"CLP", 0, "Chilean peso"},
    {"COP", 2, "Colombian peso"},
    {"PEN", 2, "sol"},
    {"PYG", 0, "guarani"},
    {"UYU", 2, "Peso Uruguayo"},
    {"DOP", 2, "Dominican peso"},
    {"JMD", 2, "Jamaican dollar"},
    {"FJD", 2, "Fiji dollar"},
    {"PGK", 2, "kina"},
    {"BTC", 8, "bitcoin"},
    {"ETH", 8, "ether"},
    {"USDT", 6, "tether USD"},
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

/* Currency names written by IBM's AMLworld generator, mapped onto codes. */
static const struct {
    const char *name;
    const char *code;
} amlworld[] = {
    {"US Dollar", "USD"},
    {"Euro", "EUR"},
    {"Yuan", "CNY"},
    {"Yen", "JPY"},
    {"UK Pound", "GBP"},
    {"Rupee", "INR"},
    {"Ruble", "RUB"},
    {"Canadian Dollar", "CAD"},
    {"Australian Dollar", "AUD"},
    {"Swiss Franc", "CHF"},
    {"Mexican Peso", "MXN"},
    {"Brazil Real", "BRL"},
    {"Saudi Riyal", "SAR"},
    {"Shekel", "ILS"},
    {"Bitcoin", "BTC"},
};

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Case-insensitive: s[0..len) equals the NUL-terminated w. */
static int equals_nocase(const char *s, size_t len, const char *w)
{
    size_t i = 0;
    for (; i < len && w[i]; i++) {
        if (upper(s[i]) != upper(w[i])) {
            return 0;
        }
    }
    return i == len && w[i] == '\0';
}

static int find_code(const char *s, size_t len)
{
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        if (equals_nocase(s, len, table[i].code)) {
            return (int)i;
        }
    }
    return -1;
}

static void fill(unsigned id, pg_currency *out)
{
    memset(out->code, 0, sizeof(out->code));
    memcpy(out->code, table[id].code, strlen(table[id].code));
    out->scale = table[id].scale;
    out->id = (uint8_t)id;
}

int pg_currency_lookup(const char *s, size_t len, pg_currency *out)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1])) {
        len--;
    }
    int id = (len >= 3 && len <= 4) ? find_code(s, len) : -1;
    for (size_t i = 0; id < 0 && i < sizeof(amlworld) / sizeof(amlworld[0]); i++) {
        if (equals_nocase(s, len, amlworld[i].name)) {
            id = find_code(amlworld[i].code, strlen(amlworld[i].code));
        }
    }
    if (id < 0) {
        return PG_EINPUT;
    }
    fill((unsigned)id, out);
    return 0;
}

unsigned pg_currency_count(void)
{
    return (unsigned)TABLE_SIZE;
}

int pg_currency_by_id(unsigned id, pg_currency *out)
{
    if (id >= TABLE_SIZE) {
        return PG_EINVAL;
    }
    fill(id, out);
    return 0;
}

const char *pg_currency_name(unsigned id)
{
    return id < TABLE_SIZE ? table[id].name : NULL;
}
