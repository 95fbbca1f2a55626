/*
 * ISO 3166-1 alpha-2 table, sorted by code, so that the id is the position
 * in code order and lookup is a binary search over the packed two letters.
 *
 * Offsets: minutes east of UTC, standard time, most populous zone (see
 * country.h). Recent permanent changes are applied: Jordan and Syria +03:00
 * (2022), Kazakhstan +05:00 (2024), Paraguay -03:00 (2024), Greenland
 * (Nuuk) -02:00 (2023), Morocco and Western Sahara +01:00. Uninhabited
 * territories get the offset of the territory that administers them or of
 * their longitude; it does not matter for payments.
 *
 * Default high-risk corridors: the Philippines only. AUSTRAC's financial
 * crime guide "Combating the sexual exploitation of children for financial
 * gain" and its published case studies (payments from Australia to
 * facilitators in the Philippines), the FATF/APG report "Financial flows
 * from human trafficking" (2018) and the IJM/University of Nottingham
 * "Scale of Harm" study (2023) on live-streamed abuse in the Philippines. Other countries appear in
 * some sources; an institution adds them in configuration rather than the default growing a list
 * nobody can justify.
 */
#include "core/country.h"

#include <string.h>

#include "paygraph/common.h"

typedef struct entry {
    char code[3];
    int16_t offset;
    const char *name;
} entry;

static const entry table[] = {
    {"AD", 60, "Andorra"},
    {"AE", 240, "United Arab Emirates"},
    {"AF", 270, "Afghanistan"},
    {"AG", -240, "Antigua and Barbuda"},
    {"AI", -240, "Anguilla"},
    {"AL", 60, "Albania"},
    {"AM", 240, "Armenia"},
    {"AO", 60, "Angola"},
    {"AQ", 0, "Antarctica"},
    {"AR", -180, "Argentina"},
    {"AS", -660, "American Samoa"},
    {"AT", 60, "Austria"},
    {"AU", 600, "Australia"},
    {"AW", -240, "Aruba"},
    {"AX", 120, "Aland Islands"},
    {"AZ", 240, "Azerbaijan"},
    {"BA", 60, "Bosnia and Herzegovina"},
    {"BB", -240, "Barbados"},
    {"BD", 360, "Bangladesh"},
    {"BE", 60, "Belgium"},
    {"BF", 0, "Burkina Faso"},
    {"BG", 120, "Bulgaria"},
    {"BH", 180, "Bahrain"},
    {"BI", 120, "Burundi"},
    {"BJ", 60, "Benin"},
    {"BL", -240, "Saint Barthelemy"},
    {"BM", -240, "Bermuda"},
    {"BN", 480, "Brunei Darussalam"},
    {"BO", -240, "Bolivia"},
    {"BQ", -240, "Bonaire, Sint Eustatius and Saba"},
    {"BR", -180, "Brazil"},
    {"BS", -300, "Bahamas"},
    {"BT", 360, "Bhutan"},
    {"BV", 60, "Bouvet Island"},
    {"BW", 120, "Botswana"},
    {"BY", 180, "Belarus"},
    {"BZ", -360, "Belize"},
    {"CA", -300, "Canada"},
    {"CC", 390, "Cocos (Keeling) Islands"},
    {"CD", 120, "Congo, Democratic Republic of the"},
    {"CF", 60, "Central African Republic"},
    {"CG", 60, "Congo"},
    {"CH", 60, "Switzerland"},
    {"CI", 0, "Cote d'Ivoire"},
    {"CK", -600, "Cook Islands"},
    {"CL", -240, "Chile"},
    {"CM", 60, "Cameroon"},
    {"CN", 480, "China"},
    {"CO", -300, "Colombia"},
    {"CR", -360, "Costa Rica"},
    {"CU", -300, "Cuba"},
    {"CV", -60, "Cabo Verde"},
    {"CW", -240, "Curacao"},
    {"CX", 420, "Christmas Island"},
    {"CY", 120, "Cyprus"},
    {"CZ", 60, "Czechia"},
    {"DE", 60, "Germany"},
    {"DJ", 180, "Djibouti"},
    {"DK", 60, "Denmark"},
    {"DM", -240, "Dominica"},
    {"DO", -240, "Dominican Republic"},
    {"DZ", 60, "Algeria"},
    {"EC", -300, "Ecuador"},
    {"EE", 120, "Estonia"},
    {"EG", 120, "Egypt"},
    {"EH", 60, "Western Sahara"},
    {"ER", 180, "Eritrea"},
    {"ES", 60, "Spain"},
    {"ET", 180, "Ethiopia"},
    {"FI", 120, "Finland"},
    {"FJ", 720, "Fiji"},
    {"FK", -180, "Falkland Islands (Malvinas)"},
    {"FM", 600, "Micronesia"},
    {"FO", 0, "Faroe Islands"},
    {"FR", 60, "France"},
    {"GA", 60, "Gabon"},
    {"GB", 0, "United Kingdom"},
    {"GD", -240, "Grenada"},
    {"GE", 240, "Georgia"},
    {"GF", -180, "French Guiana"},
    {"GG", 0, "Guernsey"},
    {"GH", 0, "Ghana"},
    {"GI", 60, "Gibraltar"},
    {"GL", -120, "Greenland"},
    {"GM", 0, "Gambia"},
    {"GN", 0, "Guinea"},
    {"GP", -240, "Guadeloupe"},
    {"GQ", 60, "Equatorial Guinea"},
    {"GR", 120, "Greece"},
    {"GS", -120, "South Georgia and the South Sandwich Islands"},
    {"GT", -360, "Guatemala"},
    {"GU", 600, "Guam"},
    {"GW", 0, "Guinea-Bissau"},
    {"GY", -240, "Guyana"},
    {"HK", 480, "Hong Kong"},
    {"HM", 300, "Heard Island and McDonald Islands"},
    {"HN", -360, "Honduras"},
    {"HR", 60, "Croatia"},
    {"HT", -300, "Haiti"},
    {"HU", 60, "Hungary"},
    {"ID", 420, "Indonesia"},
    {"IE", 0, "Ireland"},
    {"IL", 120, "Israel"},
    {"IM", 0, "Isle of Man"},
    {"IN", 330, "India"},
    {"IO", 360, "British Indian Ocean Territory"},
    {"IQ", 180, "Iraq"},
    {"IR", 210, "Iran"},
    {"IS", 0, "Iceland"},
    {"IT", 60, "Italy"},
    {"JE", 0, "Jersey"},
    {"JM", -300, "Jamaica"},
    {"JO", 180, "Jordan"},
    {"JP", 540, "Japan"},
    {"KE", 180, "Kenya"},
    {"KG", 360, "Kyrgyzstan"},
    {"KH", 420, "Cambodia"},
    {"KI", 720, "Kiribati"},
    {"KM", 180, "Comoros"},
    {"KN", -240, "Saint Kitts and Nevis"},
    {"KP", 540, "Korea, Democratic People's Republic of"},
    {"KR", 540, "Korea, Republic of"},
    {"KW", 180, "Kuwait"},
    {"KY", -300, "Cayman Islands"},
    {"KZ", 300, "Kazakhstan"},
    {"LA", 420, "Lao People's Democratic Republic"},
    {"LB", 120, "Lebanon"},
    {"LC", -240, "Saint Lucia"},
    {"LI", 60, "Liechtenstein"},
    {"LK", 330, "Sri Lanka"},
    {"LR", 0, "Liberia"},
    {"LS", 120, "Lesotho"},
    {"LT", 120, "Lithuania"},
    {"LU", 60, "Luxembourg"},
    {"LV", 120, "Latvia"},
    {"LY", 120, "Libya"},
    {"MA", 60, "Morocco"},
    {"MC", 60, "Monaco"},
    {"MD", 120, "Moldova"},
    {"ME", 60, "Montenegro"},
    {"MF", -240, "Saint Martin (French part)"},
    {"MG", 180, "Madagascar"},
    {"MH", 720, "Marshall Islands"},
    {"MK", 60, "North Macedonia"},
    {"ML", 0, "Mali"},
    {"MM", 390, "Myanmar"},
    {"MN", 480, "Mongolia"},
    {"MO", 480, "Macao"},
    {"MP", 600, "Northern Mariana Islands"},
    {"MQ", -240, "Martinique"},
    {"MR", 0, "Mauritania"},
    {"MS", -240, "Montserrat"},
    {"MT", 60, "Malta"},
    {"MU", 240, "Mauritius"},
    {"MV", 300, "Maldives"},
    {"MW", 120, "Malawi"},
    {"MX", -360, "Mexico"},
    {"MY", 480, "Malaysia"},
    {"MZ", 120, "Mozambique"},
    {"NA", 120, "Namibia"},
    {"NC", 660, "New Caledonia"},
    {"NE", 60, "Niger"},
    {"NF", 660, "Norfolk Island"},
    {"NG", 60, "Nigeria"},
    {"NI", -360, "Nicaragua"},
    {"NL", 60, "Netherlands"},
    {"NO", 60, "Norway"},
    {"NP", 345, "Nepal"},
    {"NR", 720, "Nauru"},
    {"NU", -660, "Niue"},
    {"NZ", 720, "New Zealand"},
    {"OM", 240, "Oman"},
    {"PA", -300, "Panama"},
    {"PE", -300, "Peru"},
    {"PF", -600, "French Polynesia"},
    {"PG", 600, "Papua New Guinea"},
    {"PH", 480, "Philippines"},
    {"PK", 300, "Pakistan"},
    {"PL", 60, "Poland"},
    {"PM", -180, "Saint Pierre and Miquelon"},
    {"PN", -480, "Pitcairn"},
    {"PR", -240, "Puerto Rico"},
    {"PS", 120, "Palestine, State of"},
    {"PT", 0, "Portugal"},
    {"PW", 540, "Palau"},
    {"PY", -180, "Paraguay"},
    {"QA", 180, "Qatar"},
    {"RE", 240, "Reunion"},
    {"RO", 120, "Romania"},
    {"RS", 60, "Serbia"},
    {"RU", 180, "Russian Federation"},
    {"RW", 120, "Rwanda"},
    {"SA", 180, "Saudi Arabia"},
    {"SB", 660, "Solomon Islands"},
    {"SC", 240, "Seychelles"},
    {"SD", 120, "Sudan"},
    {"SE", 60, "Sweden"},
    {"SG", 480, "Singapore"},
    {"SH", 0, "Saint Helena, Ascension and Tristan da Cunha"},
    {"SI", 60, "Slovenia"},
    {"SJ", 60, "Svalbard and Jan Mayen"},
    {"SK", 60, "Slovakia"},
    {"SL", 0, "Sierra Leone"},
    {"SM", 60, "San Marino"},
    {"SN", 0, "Senegal"},
    {"SO", 180, "Somalia"},
    {"SR", -180, "Suriname"},
    {"SS", 120, "South Sudan"},
    {"ST", 0, "Sao Tome and Principe"},
    {"SV", -360, "El Salvador"},
    {"SX", -240, "Sint Maarten (Dutch part)"},
    {"SY", 180, "Syrian Arab Republic"},
    {"SZ", 120, "Eswatini"},
    {"TC", -300, "Turks and Caicos Islands"},
    {"TD", 60, "Chad"},
    {"TF", 300, "French Southern Territories"},
    {"TG", 0, "Togo"},
    {"TH", 420, "Thailand"},
    {"TJ", 300, "Tajikistan"},
    {"TK", 780, "Tokelau"},
    {"TL", 540, "Timor-Leste"},
    {"TM", 300, "Turkmenistan"},
    {"TN", 60, "Tunisia"},
    {"TO", 780, "Tonga"},
    {"TR", 180, "Turkiye"},
    {"TT", -240, "Trinidad and Tobago"},
    {"TV", 720, "Tuvalu"},
    {"TW", 480, "Taiwan"},
    {"TZ", 180, "Tanzania"},
    {"UA", 120, "Ukraine"},
    {"UG", 180, "Uganda"},
    {"UM", 720, "United States Minor Outlying Islands"},
    {"US", -300, "United States of America"},
    {"UY", -180, "Uruguay"},
    {"UZ", 300, "Uzbekistan"},
    {"VA", 60, "Holy See"},
    {"VC", -240, "Saint Vincent and the Grenadines"},
    {"VE", -240, "Venezuela"},
    {"VG", -240, "Virgin Islands (British)"},
    {"VI", -240, "Virgin Islands (U.S.)"},
    {"VN", 420, "Viet Nam"},
    {"VU", 660, "Vanuatu"},
    {"WF", 720, "Wallis and Futuna"},
    {"WS", 780, "Samoa"},
    {"YE", 180, "Yemen"},
    {"YT", 180, "Mayotte"},
    {"ZA", 120, "South Africa"},
    {"ZM", 120, "Zambia"},
    {"ZW", 120, "Zimbabwe"},
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static const char *const default_high_risk[] = {"PH"};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static int find(char a, char b)
{
    size_t lo = 0, hi = TABLE_SIZE;
    unsigned key = (unsigned char)a << 8 | (unsigned char)b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned k = (unsigned char)table[mid].code[0] << 8 | (unsigned char)table[mid].code[1];
        if (k == key) {
            return (int)mid;
        }
        if (k < key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

static void fill(unsigned id, pg_country *out)
{
    memcpy(out->code, table[id].code, 3);
    out->id = (uint8_t)id;
    out->utc_offset_min = table[id].offset;
    out->name = table[id].name;
}

int pg_country_lookup(const char *s, size_t len, pg_country *out)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1])) {
        len--;
    }
    if (len != 2) {
        return PG_EINPUT;
    }
    char a = upper(s[0]), b = upper(s[1]);
    if (a == 'U' && b == 'K') {
        b = 'B';
        a = 'G';
    }
    int id = find(a, b);
    if (id < 0) {
        return PG_EINPUT;
    }
    fill((unsigned)id, out);
    return 0;
}

unsigned pg_country_count(void)
{
    return (unsigned)TABLE_SIZE;
}

int pg_country_by_id(unsigned id, pg_country *out)
{
    if (id >= TABLE_SIZE) {
        return PG_EINVAL;
    }
    fill(id, out);
    return 0;
}

void pg_country_set_clear(pg_country_set *set)
{
    memset(set, 0, sizeof(*set));
}

void pg_country_set_add(pg_country_set *set, unsigned id)
{
    if (id < TABLE_SIZE) {
        set->bits[id / 64] |= UINT64_C(1) << (id % 64);
    }
}

int pg_country_set_has(const pg_country_set *set, unsigned id)
{
    return id < TABLE_SIZE && ((set->bits[id / 64] >> (id % 64)) & 1);
}

const char *const *pg_country_default_high_risk(size_t *n)
{
    *n = sizeof(default_high_risk) / sizeof(default_high_risk[0]);
    return default_high_risk;
}

void pg_country_set_default_high_risk(pg_country_set *set)
{
    pg_country_set_clear(set);
    for (size_t i = 0; i < sizeof(default_high_risk) / sizeof(default_high_risk[0]); i++) {
        pg_country_set_add(set, (unsigned)find(default_high_risk[i][0], default_high_risk[i][1]));
    }
}
