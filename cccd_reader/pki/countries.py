"""Country codes: X.509 countryName (ISO 3166-1 alpha-2) and the MRZ codes of ICAO Doc 9303.

A Document Signer certificate names its state with the two-letter ISO 3166-1 code; the MRZ
names the issuing state (and the holder's nationality) with the three-letter codes of
Doc 9303 Part 3 §5, which are ISO 3166-1 alpha-3 with ICAO's own exceptions and additions:
Germany is ``D``; the United Kingdom also issues for its citizen categories (``GBD``, ``GBN``,
``GBO``, ``GBP``, ``GBS``); Kosovo (``XK`` in X.509 use) is ``RKS``; the United Nations
(``UNO``, ``UNA``, ``UNK``) and the European Union (``EUE``) issue travel documents; a few
organisations and the stateless/refugee categories have ``X..`` codes. ``UT``/``UTO`` is
ICAO's specimen state Utopia, used by the synthetic test PKI.

The table is complete for ISO 3166-1 (a test compares it with ``pycountry``). A code that is
not in it is never "not compared": the country binding of the verdict fails on it.
"""

from __future__ import annotations

#: ISO 3166-1 alpha-2 -> alpha-3, every officially assigned code.
ISO_ALPHA3: dict[str, str] = {
    "AD": "AND", "AE": "ARE", "AF": "AFG", "AG": "ATG", "AI": "AIA", "AL": "ALB", "AM": "ARM",
    "AO": "AGO", "AQ": "ATA", "AR": "ARG", "AS": "ASM", "AT": "AUT", "AU": "AUS", "AW": "ABW",
    "AX": "ALA", "AZ": "AZE", "BA": "BIH", "BB": "BRB", "BD": "BGD", "BE": "BEL", "BF": "BFA",
    "BG": "BGR", "BH": "BHR", "BI": "BDI", "BJ": "BEN", "BL": "BLM", "BM": "BMU", "BN": "BRN",
    "BO": "BOL", "BQ": "BES", "BR": "BRA", "BS": "BHS", "BT": "BTN", "BV": "BVT", "BW": "BWA",
    "BY": "BLR", "BZ": "BLZ", "CA": "CAN", "CC": "CCK", "CD": "COD", "CF": "CAF", "CG": "COG",
    "CH": "CHE", "CI": "CIV", "CK": "COK", "CL": "CHL", "CM": "CMR", "CN": "CHN", "CO": "COL",
    "CR": "CRI", "CU": "CUB", "CV": "CPV", "CW": "CUW", "CX": "CXR", "CY": "CYP", "CZ": "CZE",
    "DE": "DEU", "DJ": "DJI", "DK": "DNK", "DM": "DMA", "DO": "DOM", "DZ": "DZA", "EC": "ECU",
    "EE": "EST", "EG": "EGY", "EH": "ESH", "ER": "ERI", "ES": "ESP", "ET": "ETH", "FI": "FIN",
    "FJ": "FJI", "FK": "FLK", "FM": "FSM", "FO": "FRO", "FR": "FRA", "GA": "GAB", "GB": "GBR",
    "GD": "GRD", "GE": "GEO", "GF": "GUF", "GG": "GGY", "GH": "GHA", "GI": "GIB", "GL": "GRL",
    "GM": "GMB", "GN": "GIN", "GP": "GLP", "GQ": "GNQ", "GR": "GRC", "GS": "SGS", "GT": "GTM",
    "GU": "GUM", "GW": "GNB", "GY": "GUY", "HK": "HKG", "HM": "HMD", "HN": "HND", "HR": "HRV",
    "HT": "HTI", "HU": "HUN", "ID": "IDN", "IE": "IRL", "IL": "ISR", "IM": "IMN", "IN": "IND",
    "IO": "IOT", "IQ": "IRQ", "IR": "IRN", "IS": "ISL", "IT": "ITA", "JE": "JEY", "JM": "JAM",
    "JO": "JOR", "JP": "JPN", "KE": "KEN", "KG": "KGZ", "KH": "KHM", "KI": "KIR", "KM": "COM",
    "KN": "KNA", "KP": "PRK", "KR": "KOR", "KW": "KWT", "KY": "CYM", "KZ": "KAZ", "LA": "LAO",
    "LB": "LBN", "LC": "LCA", "LI": "LIE", "LK": "LKA", "LR": "LBR", "LS": "LSO", "LT": "LTU",
    "LU": "LUX", "LV": "LVA", "LY": "LBY", "MA": "MAR", "MC": "MCO", "MD": "MDA", "ME": "MNE",
    "MF": "MAF", "MG": "MDG", "MH": "MHL", "MK": "MKD", "ML": "MLI", "MM": "MMR", "MN": "MNG",
    "MO": "MAC", "MP": "MNP", "MQ": "MTQ", "MR": "MRT", "MS": "MSR", "MT": "MLT", "MU": "MUS",
    "MV": "MDV", "MW": "MWI", "MX": "MEX", "MY": "MYS", "MZ": "MOZ", "NA": "NAM", "NC": "NCL",
    "NE": "NER", "NF": "NFK", "NG": "NGA", "NI": "NIC", "NL": "NLD", "NO": "NOR", "NP": "NPL",
    "NR": "NRU", "NU": "NIU", "NZ": "NZL", "OM": "OMN", "PA": "PAN", "PE": "PER", "PF": "PYF",
    "PG": "PNG", "PH": "PHL", "PK": "PAK", "PL": "POL", "PM": "SPM", "PN": "PCN", "PR": "PRI",
    "PS": "PSE", "PT": "PRT", "PW": "PLW", "PY": "PRY", "QA": "QAT", "RE": "REU", "RO": "ROU",
    "RS": "SRB", "RU": "RUS", "RW": "RWA", "SA": "SAU", "SB": "SLB", "SC": "SYC", "SD": "SDN",
    "SE": "SWE", "SG": "SGP", "SH": "SHN", "SI": "SVN", "SJ": "SJM", "SK": "SVK", "SL": "SLE",
    "SM": "SMR", "SN": "SEN", "SO": "SOM", "SR": "SUR", "SS": "SSD", "ST": "STP", "SV": "SLV",
    "SX": "SXM", "SY": "SYR", "SZ": "SWZ", "TC": "TCA", "TD": "TCD", "TF": "ATF", "TG": "TGO",
    "TH": "THA", "TJ": "TJK", "TK": "TKL", "TL": "TLS", "TM": "TKM", "TN": "TUN", "TO": "TON",
    "TR": "TUR", "TT": "TTO", "TV": "TUV", "TW": "TWN", "TZ": "TZA", "UA": "UKR", "UG": "UGA",
    "UM": "UMI", "US": "USA", "UY": "URY", "UZ": "UZB", "VA": "VAT", "VC": "VCT", "VE": "VEN",
    "VG": "VGB", "VI": "VIR", "VN": "VNM", "VU": "VUT", "WF": "WLF", "WS": "WSM", "YE": "YEM",
    "YT": "MYT", "ZA": "ZAF", "ZM": "ZMB", "ZW": "ZWE",
}

#: Where ICAO's MRZ codes differ from ISO alpha-3, or add to it: alpha-2 (as X.509 countryName
#: uses it) -> every MRZ code a document of that issuer may carry as its issuing state.
ICAO_EXCEPTIONS: dict[str, frozenset[str]] = {
    "DE": frozenset({"D"}),
    "GB": frozenset({"GBR", "GBD", "GBN", "GBO", "GBP", "GBS"}),
    "XK": frozenset({"RKS"}),
    "UN": frozenset({"UNO", "UNA", "UNK"}),
    "EU": frozenset({"EUE"}),
    "UT": frozenset({"UTO"}),
}

#: MRZ codes of Doc 9303 Part 3 that belong to no ISO 3166-1 country: organisations and
#: nationality categories. They are valid in an MRZ; no X.509 country maps to them here, so a
#: document claiming one as its issuing state fails the country binding unless the mapping is
#: extended on purpose.
ICAO_ORGANISATION_CODES: frozenset[str] = frozenset(
    {
        "XBA",  # African Development Bank
        "XIM",  # African Export-Import Bank
        "XCC",  # Caribbean Community
        "XCE",  # Council of Europe
        "XCO",  # Common Market for Eastern and Southern Africa
        "XDC",  # Southern African Development Community
        "XEC",  # Economic Community of West African States
        "XES",  # Organisation of Eastern Caribbean States
        "XMP",  # Parliamentary Assembly of the Mediterranean
        "XOM",  # Sovereign Military Order of Malta
        "XPO",  # International Criminal Police Organization (Interpol)
        "XXA",  # stateless person
        "XXB",  # refugee (1951 Convention)
        "XXC",  # refugee (other)
        "XXX",  # nationality unspecified
    }
)


def mrz_codes_for(country: str | None) -> frozenset[str]:
    """Every MRZ issuing-state code a signer of X.509 ``country`` may sign for (may be empty)."""
    if not country:
        return frozenset()
    alpha2 = country.strip().upper()
    special = ICAO_EXCEPTIONS.get(alpha2)
    if special is not None:
        return special
    alpha3 = ISO_ALPHA3.get(alpha2)
    return frozenset({alpha3}) if alpha3 else frozenset()


def mrz_state_code(country: str | None) -> str | None:
    """The principal MRZ code of X.509 ``country`` (``"D"`` for DE, ``"GBR"`` for GB)."""
    if not country:
        return None
    alpha2 = country.strip().upper()
    if alpha2 == "GB":
        return "GBR"
    if alpha2 == "UN":
        return "UNO"
    codes = mrz_codes_for(alpha2)
    return next(iter(codes)) if len(codes) == 1 else None


_ALL_MRZ = (
    frozenset(ISO_ALPHA3.values()) - {"DEU"}
) | frozenset().union(*ICAO_EXCEPTIONS.values()) | ICAO_ORGANISATION_CODES


def is_mrz_code(code: str) -> bool:
    """True for any three-letter (or ``D``) code Doc 9303 Part 3 defines."""
    return code.strip("<").upper() in _ALL_MRZ
