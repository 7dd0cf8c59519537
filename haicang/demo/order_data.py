"""The demo's sales as data: Lumen's channel accounts, what each lists, prices, popularity and seasons, and the
invented customers' towns, names, streets and phones. Pure data, read by :mod:`haicang.demo.order_history` and
:mod:`haicang.demo.orders`.

Every person, street and phone number here is invented: US phones are in the 555-01xx range set aside for
fiction, British ones in Ofcom's drama range (020 7946 0xxx), e-mail addresses at ``example.*`` domains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SEED = 20_260_701  # every draw of the demo's sales comes from this seed (and the seeding day)
HISTORY_DAYS = 120  # about four months of past orders, up to yesterday


@dataclass(frozen=True)
class AccountPlan:
    """One store of Lumen on one platform."""

    name: str
    platform: str
    region: str
    currency: str
    shop_id: str
    warehouses: tuple[str, ...]
    markets: tuple[tuple[str, float], ...]  # ship-to country, share of the orders
    per_day: float  # orders a day at the start of the history (before trend and seasons)
    families: tuple[str, ...]  # the product families it lists (empty: all)
    channel_sku: str  # how the store names a SKU: "{code}" (no map needed) or e.g. "LUM-{code}" (mapped)
    kits: tuple[tuple[str, str], ...] = ()  # (kit code, channel SKU) it sells
    credentials: tuple[tuple[str, str], ...] = ()
    cancel_rate: float = 0.03
    ship_by_hours: int | None = 48
    reports_delivery: bool = True  # Amazon and Shopify stop at "shipped"


APPAREL = ("TEE-BASIC", "HOOD-FLEECE", "LEG-YOGA", "SOCK-RUN", "CAP-BASE", "SHIRT-OXF", "JACKET-RAIN",
           "SHORTS-RUN", "DRESS-LINEN", "BAG-TOTE")  # fmt: skip
HOME = ("PILLOW-COVER", "MUG-CER", "BOTTLE-STEEL", "TOWEL-BATH", "LAMP-DESK")
ELECTRONICS = ("CABLE-USBC", "CHARGER-65W", "PBANK-10K", "EARBUD-TWS", "MOUNT-MAG", "CLEAN-SCREEN")

ACCOUNTS: tuple[AccountPlan, ...] = (
    AccountPlan(
        "Temu US · Lumen Home", "temu", "US", "USD", "634418251903", ("LAX1",), (("US", 1.0),), 15.0,
        (*HOME, *ELECTRONICS, "TEE-BASIC", "SOCK-RUN", "CAP-BASE", "BAG-TOTE", "HOOD-FLEECE"), "{code}",
        credentials=(("app_key", "demo-temu-us-app"), ("app_secret", "demo-not-a-secret"),
                     ("access_token", "demo-token"), ("gateway", "US")),
        cancel_rate=0.05,
    ),
    AccountPlan(
        "Temu EU · Lumen Living", "temu", "EU", "EUR", "634418252117", ("FRA1",),
        (("DE", 0.5), ("FR", 0.3), ("NL", 0.2)), 10.0,
        (*HOME, *ELECTRONICS, "TEE-BASIC", "SOCK-RUN", "LEG-YOGA", "BAG-TOTE"), "{code}",
        credentials=(("app_key", "demo-temu-eu-app"), ("app_secret", "demo-not-a-secret"),
                     ("access_token", "demo-token"), ("gateway", "EU")),
        cancel_rate=0.05,
    ),
    AccountPlan(
        "SHEIN Europe", "shein", "EU", "EUR", "LUMEN-EU-7731", ("FRA1",),
        (("DE", 0.45), ("FR", 0.4), ("NL", 0.15)), 8.0,
        (*APPAREL, "PILLOW-COVER", "TOWEL-BATH"), "SH{plain}",
        credentials=(("open_key_id", "demo-shein-key"), ("secret_key", "demo-not-a-secret")),
        cancel_rate=0.04, ship_by_hours=72,
    ),
    AccountPlan(
        "TikTok Shop UK", "tiktok", "GB", "GBP", "7495203318661219", ("BHX1",), (("GB", 1.0),), 7.0,
        ("LEG-YOGA", "HOOD-FLEECE", "TEE-BASIC", "SHORTS-RUN", "CAP-BASE", "BOTTLE-STEEL", "EARBUD-TWS",
         "MOUNT-MAG", "CABLE-USBC", "TOWEL-BATH"), "TT-{code}",
        credentials=(("app_key", "demo-tts-app"), ("app_secret", "demo-not-a-secret"),
                     ("access_token", "demo-token"), ("shop_cipher", "ROW_demo")),
        cancel_rate=0.04, ship_by_hours=72,
    ),
    AccountPlan(
        "Amazon US", "amazon", "US", "USD", "A3LUMENDEMO01", ("LAX1",), (("US", 1.0),), 18.0,
        (*ELECTRONICS, *HOME, "TEE-BASIC", "HOOD-FLEECE", "JACKET-RAIN", "SOCK-RUN", "LEG-YOGA"), "LUM-{code}",
        kits=(("KIT-TRAVEL-CHARGE", "LUM-KIT-TRAVEL"), ("KIT-DESK", "LUM-KIT-DESK"),
              ("KIT-MORNING", "LUM-KIT-MORNING")),
        credentials=(("access_token", "demo-lwa-token"),),
        cancel_rate=0.02, reports_delivery=False,
    ),
    AccountPlan(
        "Lumen Living (Shopify)", "shopify", "GLOBAL", "USD", "lumen-living.myshopify.com",
        ("LAX1", "FRA1", "BHX1"), (("US", 0.5), ("GB", 0.2), ("DE", 0.15), ("FR", 0.1), ("NL", 0.05)), 8.0,
        (), "{code}",
        kits=(("KIT-TRAVEL-CHARGE", "KIT-TRAVEL-CHARGE"), ("KIT-MORNING", "KIT-MORNING"),
              ("KIT-GYM-M", "KIT-GYM-M"), ("KIT-DESK", "KIT-DESK")),
        credentials=(("shop_domain", "lumen-living.myshopify.com"), ("access_token", "shpat_demo")),
        cancel_rate=0.02, ship_by_hours=None, reports_delivery=False,
    ),
)  # fmt: skip

# Which warehouse ships to a country (the warehouses' service areas, docs/network.md).
WAREHOUSE_OF = {"US": "LAX1", "DE": "FRA1", "FR": "FRA1", "NL": "FRA1", "GB": "BHX1"}
CURRENCY_OF = {"US": "USD", "DE": "EUR", "FR": "EUR", "NL": "EUR", "GB": "GBP"}
VAT = {"DE": 19, "FR": 20, "NL": 21, "GB": 20}  # percent, in the consumer price
COMMISSION = {
    "amazon": 15,
    "tiktok": 9,
    "shein": 14,
}  # percent of the goods (Temu: no amounts; Shopify: none)

# List prices in USD cents; EUR the same figure, GBP 85 % of it (…99 endings kept).
PRICE_USD = {
    "TEE-BASIC": 1999, "HOOD-FLEECE": 4999, "LEG-YOGA": 2999, "SOCK-RUN": 1299, "CAP-BASE": 1799,
    "SHIRT-OXF": 3999, "JACKET-RAIN": 5999, "SHORTS-RUN": 2499, "DRESS-LINEN": 5499, "BAG-TOTE": 1999,
    "PILLOW-COVER": 1699, "MUG-CER": 1299, "BOTTLE-STEEL": 2799, "TOWEL-BATH": 2499, "LAMP-DESK": 4599,
    "CABLE-USBC": 999, "CHARGER-65W": 3999, "PBANK-10K": 3499, "EARBUD-TWS": 4999, "MOUNT-MAG": 1599,
    "CLEAN-SCREEN": 899, "KIT-TRAVEL-CHARGE": 7499, "KIT-MORNING": 4499, "KIT-GYM-M": 5499, "KIT-DESK": 6499,
}  # fmt: skip

# How well a family sells (relative), and how its season moves over the four months: (factor at the start of
# the history, factor today) — hoodies and rain jackets climb into winter, shorts and linen dresses fade.
POPULARITY = {
    "TEE-BASIC": 10.0, "HOOD-FLEECE": 5.0, "LEG-YOGA": 7.0, "SOCK-RUN": 6.0, "CAP-BASE": 3.0, "SHIRT-OXF": 3.0,
    "JACKET-RAIN": 3.0, "SHORTS-RUN": 2.5, "DRESS-LINEN": 1.5, "BAG-TOTE": 3.0, "PILLOW-COVER": 2.5,
    "MUG-CER": 4.0, "BOTTLE-STEEL": 5.0, "TOWEL-BATH": 3.0, "LAMP-DESK": 2.5, "CABLE-USBC": 9.0,
    "CHARGER-65W": 5.0, "PBANK-10K": 4.0, "EARBUD-TWS": 4.0, "MOUNT-MAG": 4.0, "CLEAN-SCREEN": 2.0,
}  # fmt: skip
SEASON = {"HOOD-FLEECE": (0.4, 1.8), "JACKET-RAIN": (0.6, 1.5), "SHORTS-RUN": (1.8, 0.3),
          "DRESS-LINEN": (1.8, 0.3), "TOWEL-BATH": (1.3, 0.8), "MUG-CER": (0.8, 1.3)}  # fmt: skip
SIZE_SHARE = {"XS": 0.6, "S": 1.8, "M": 3.2, "L": 2.8, "XL": 1.2, "XXL": 0.6}
COLOUR_SHARE = {"Black": 1.6, "Pink": 0.6}  # others 1.0
KIT_SHARE = 0.05  # of a kit-selling store's orders, the share that is a kit

WEEKDAY = (1.08, 1.0, 0.97, 0.95, 0.9, 0.93, 1.17)  # Monday … Sunday
TREND = (0.8, 1.15)  # the business grows over the four months
HOURS = (
    2,
    1,
    1,
    1,
    1,
    2,
    3,
    5,
    6,
    7,
    7,
    8,
    9,
    8,
    8,
    8,
    8,
    9,
    10,
    12,
    13,
    12,
    9,
    5,
)  # local hour of the order
LINES_PER_ORDER = ((1, 0.74), (2, 0.2), (3, 0.06))
UNITS_PER_LINE = ((1, 0.86), (2, 0.11), (3, 0.03))


@dataclass(frozen=True)
class SalesDay:
    """A sales event: ``factor`` × the orders of the named platforms (all when empty) on these days."""

    month: int
    day: int
    days: int
    factor: float
    platforms: tuple[str, ...] = ()


EVENTS = (
    SalesDay(10, 6, 2, 2.1, ("amazon",)),  # Prime Big Deal Days
    SalesDay(11, 10, 3, 1.9, ("temu", "shein", "tiktok")),  # 11.11 (Singles' Day), the day before and after
    SalesDay(11, 20, 7, 1.3),  # Black Friday week starts early
)


def event_factor(day: dt.date, platform: str) -> float:
    factor = 1.0
    for event in EVENTS:
        start = dt.date(day.year, event.month, event.day)
        if start <= day < start + dt.timedelta(days=event.days) and (
            not event.platforms or platform in event.platforms
        ):
            factor *= event.factor
    return factor


# --- places and people ----------------------------------------------------------------------------------------
# country → (city, region, postcode, weight, US sales tax %, phone area code)
TOWNS: dict[str, tuple[tuple[str, str, str, float, float, str], ...]] = {
    "US": (
        ("New York", "NY", "10001", 8, 8.875, "212"), ("Brooklyn", "NY", "11201", 5, 8.875, "718"),
        ("Los Angeles", "CA", "90012", 8, 9.5, "213"), ("San Diego", "CA", "92101", 3, 7.75, "619"),
        ("San Francisco", "CA", "94103", 3, 8.625, "415"), ("Seattle", "WA", "98101", 3, 10.25, "206"),
        ("Portland", "OR", "97205", 2, 0.0, "503"), ("Phoenix", "AZ", "85004", 4, 8.6, "602"),
        ("Denver", "CO", "80202", 3, 8.81, "303"), ("Austin", "TX", "78701", 3, 8.25, "512"),
        ("Houston", "TX", "77002", 5, 8.25, "713"), ("Chicago", "IL", "60601", 6, 10.25, "312"),
        ("Minneapolis", "MN", "55401", 2, 8.03, "612"), ("Atlanta", "GA", "30303", 3, 8.9, "404"),
        ("Miami", "FL", "33130", 3, 7.0, "305"), ("Boston", "MA", "02108", 3, 6.25, "617"),
        ("Philadelphia", "PA", "19103", 4, 8.0, "215"), ("Columbus", "OH", "43215", 2, 7.5, "614"),
        ("Nashville", "TN", "37203", 2, 9.25, "615"), ("Salt Lake City", "UT", "84101", 1, 7.75, "801"),
    ),
    "DE": (
        ("Berlin", "BE", "10115", 9, 0, "30"), ("Hamburg", "HH", "20095", 5, 0, "40"),
        ("München", "BY", "80331", 5, 0, "89"), ("Köln", "NW", "50667", 4, 0, "221"),
        ("Frankfurt am Main", "HE", "60311", 3, 0, "69"), ("Stuttgart", "BW", "70173", 3, 0, "711"),
        ("Düsseldorf", "NW", "40213", 2, 0, "211"), ("Leipzig", "SN", "04109", 2, 0, "341"),
        ("Dresden", "SN", "01067", 2, 0, "351"), ("Hannover", "NI", "30159", 2, 0, "511"),
        ("Nürnberg", "BY", "90403", 2, 0, "911"), ("Bremen", "HB", "28195", 2, 0, "421"),
    ),
    "FR": (
        ("Paris", "Île-de-France", "75011", 6, 0, "1"), ("Paris", "Île-de-France", "75015", 5, 0, "1"),
        ("Lyon", "Auvergne-Rhône-Alpes", "69002", 4, 0, "4"), ("Marseille", "Provence-Alpes-Côte d'Azur",
        "13001", 4, 0, "4"), ("Toulouse", "Occitanie", "31000", 3, 0, "5"),
        ("Nice", "Provence-Alpes-Côte d'Azur", "06000", 2, 0, "4"), ("Nantes", "Pays de la Loire", "44000", 2, 0,
        "2"), ("Bordeaux", "Nouvelle-Aquitaine", "33000", 2, 0, "5"), ("Lille", "Hauts-de-France", "59000", 2, 0,
        "3"), ("Strasbourg", "Grand Est", "67000", 2, 0, "3"), ("Rennes", "Bretagne", "35000", 1, 0, "2"),
    ),
    "NL": (
        ("Amsterdam", "Noord-Holland", "1012 AB", 6, 0, "20"), ("Rotterdam", "Zuid-Holland", "3011 AD", 4, 0,
        "10"), ("Den Haag", "Zuid-Holland", "2511 BT", 3, 0, "70"), ("Utrecht", "Utrecht", "3511 LX", 3, 0,
        "30"), ("Eindhoven", "Noord-Brabant", "5611 EM", 2, 0, "40"), ("Groningen", "Groningen", "9711 LM", 1, 0,
        "50"), ("Haarlem", "Noord-Holland", "2011 RD", 1, 0, "23"),
    ),
    "GB": (
        ("London", "Greater London", "E1 6AN", 6, 0, "20"), ("London", "Greater London", "N1 9GU", 4, 0, "20"),
        ("London", "Greater London", "SE1 7PB", 4, 0, "20"), ("Manchester", "Greater Manchester", "M1 1AE", 4, 0,
        "161"), ("Birmingham", "West Midlands", "B1 1BB", 4, 0, "121"), ("Leeds", "West Yorkshire", "LS1 4AP", 3,
        0, "113"), ("Glasgow", "Glasgow City", "G1 1XQ", 3, 0, "141"), ("Edinburgh", "City of Edinburgh",
        "EH1 1YZ", 2, 0, "131"), ("Bristol", "Bristol", "BS1 4DJ", 2, 0, "117"), ("Liverpool", "Merseyside",
        "L1 8JQ", 2, 0, "151"), ("Cardiff", "Cardiff", "CF10 1EP", 2, 0, "29"), ("Newcastle upon Tyne",
        "Tyne and Wear", "NE1 7RU", 2, 0, "191"), ("Nottingham", "Nottinghamshire", "NG1 5FS", 1, 0, "115"),
    ),
}  # fmt: skip

FIRST_NAMES = {
    "US": ("Emma", "Olivia", "Ava", "Sophia", "Mia", "Liam", "Noah", "Ethan", "Mason", "Lucas", "Harper",
           "Aiden", "Chloe", "Jayden", "Zoe", "Carter", "Riley", "Maya", "Diego", "Priya"),
    "DE": ("Lena", "Hannah", "Lea", "Mia", "Anna", "Lukas", "Leon", "Finn", "Jonas", "Paul", "Marie",
           "Felix", "Emilia", "Tim", "Sophie", "Jan", "Clara", "Niklas", "Ayşe", "Mehmet"),
    "FR": ("Léa", "Manon", "Chloé", "Camille", "Inès", "Lucas", "Hugo", "Louis", "Gabriel", "Jules", "Emma",
           "Nathan", "Sarah", "Théo", "Louise", "Arthur", "Zoé", "Yanis", "Amira", "Mathis"),
    "NL": ("Emma", "Julia", "Sophie", "Tess", "Anna", "Daan", "Sem", "Lucas", "Levi", "Finn", "Noor", "Milan",
           "Sara", "Bram", "Fleur", "Thijs", "Lotte", "Jesse", "Yara", "Ruben"),
    "GB": ("Olivia", "Amelia", "Isla", "Ava", "Lily", "Oliver", "George", "Harry", "Jack", "Charlie", "Freya",
           "Alfie", "Poppy", "Thomas", "Evie", "Oscar", "Grace", "Archie", "Aisha", "Rhys"),
}  # fmt: skip
LAST_NAMES = {
    "US": ("Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
           "Wilson", "Anderson", "Taylor", "Nguyen", "Patel", "Kim", "Lopez", "Clark", "Walker", "Young", "Reed"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
           "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Yilmaz",
           "Hartmann"),
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Fontaine", "Benali"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
           "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
           "Brouwer"),
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
           "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Khan", "Campbell"),
}  # fmt: skip
STREETS = {
    "US": ("{n} Maple Avenue", "{n} Oak Street", "{n} Washington Street", "{n} Park Avenue", "{n} Elm Street",
           "{n} Lake View Drive", "{n} Sunset Boulevard", "{n} Pine Street", "{n} Cedar Lane", "{n} Main Street"),
    "DE": ("Hauptstraße {n}", "Bahnhofstraße {n}", "Gartenweg {n}", "Lindenstraße {n}", "Schillerstraße {n}",
           "Goethestraße {n}", "Am Markt {n}", "Birkenweg {n}", "Kirchstraße {n}", "Rosenstraße {n}"),
    "FR": ("{n} rue de la République", "{n} avenue Jean Jaurès", "{n} rue Victor Hugo", "{n} boulevard Voltaire",
           "{n} rue des Lilas", "{n} rue du Moulin", "{n} place de la Mairie", "{n} rue Pasteur"),
    "NL": ("Kerkstraat {n}", "Dorpsstraat {n}", "Molenweg {n}", "Stationsweg {n}", "Schoolstraat {n}",
           "Julianalaan {n}", "Beukenlaan {n}", "Prinsengracht {n}"),
    "GB": ("{n} High Street", "{n} Station Road", "{n} Church Lane", "{n} Victoria Road", "{n} Green Lane",
           "{n} Manor Road", "{n} Park Road", "{n} Queens Road"),
}  # fmt: skip
APARTMENT = {"US": "Apt {n}", "DE": "{n}. OG", "FR": "Bâtiment B, appt {n}", "NL": "", "GB": "Flat {n}"}
MAIL_DOMAINS = ("example.com", "example.net", "example.org")


def phone(country: str, area: str, n: int) -> str:
    """An invented but well-formed phone number (fiction ranges where a country has one)."""
    if country == "US":
        return f"+1 {area} 555 01{n % 100:02d}"
    if country == "GB":
        return f"+44 20 7946 0{n % 1000:03d}"
    mobile = {"DE": "+49 151", "FR": "+33 6", "NL": "+31 6"}[country]
    return f"{mobile} {n % 100_000_000:08d}"
