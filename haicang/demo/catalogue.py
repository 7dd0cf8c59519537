"""The demo seller's catalogue as data: families of products with their variants, and kits.

About 150 SKUs: apparel with colours and sizes, home goods, electronics accessories (some with lithium
batteries and magnets), and kits made of them. Values are realistic for a Shenzhen seller shipping to the US,
the EU and the UK; barcodes are valid GTIN-13s computed from a private prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Family:
    style: str
    name_en: str
    name_zh: str
    category: str
    hs_code: str
    dims_mm: tuple[int, int, int]
    weight_g: int
    cost_cny: Decimal
    declared_usd: Decimal
    units_per_carton: int
    colours: tuple[tuple[str, str], ...] = ()  # (code, name)
    sizes: tuple[str, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    moq: int = 200
    lead_time_days: int = 21


COLOURS = {
    "BLK": "Black",
    "WHT": "White",
    "NAV": "Navy",
    "GRY": "Grey",
    "OLV": "Olive",
    "PNK": "Pink",
}

FAMILIES: tuple[Family, ...] = (
    Family(
        "TEE-BASIC",
        "Organic cotton T-shirt",
        "有机棉T恤",
        "Apparel",
        "610910",
        (300, 250, 20),
        180,
        Decimal("18.50"),
        Decimal("6.00"),
        100,
        (("BLK", "Black"), ("WHT", "White"), ("NAV", "Navy"), ("GRY", "Grey")),
        ("XS", "S", "M", "L", "XL"),
    ),
    Family(
        "HOOD-FLEECE",
        "Fleece hoodie",
        "抓绒连帽衫",
        "Apparel",
        "611030",
        (350, 300, 60),
        520,
        Decimal("62.00"),
        Decimal("18.00"),
        40,
        (("BLK", "Black"), ("GRY", "Grey"), ("OLV", "Olive")),
        ("S", "M", "L", "XL", "XXL"),
    ),
    Family(
        "LEG-YOGA",
        "High-waist yoga leggings",
        "高腰瑜伽裤",
        "Apparel",
        "610463",
        (280, 220, 30),
        230,
        Decimal("29.00"),
        Decimal("9.00"),
        80,
        (("BLK", "Black"), ("NAV", "Navy"), ("PNK", "Pink")),
        ("XS", "S", "M", "L"),
    ),
    Family(
        "SOCK-RUN",
        "Running socks, 3 pairs",
        "跑步袜（3双装）",
        "Apparel",
        "611595",
        (200, 120, 40),
        120,
        Decimal("9.80"),
        Decimal("3.00"),
        200,
        (("BLK", "Black"), ("WHT", "White")),
        ("S", "M", "L"),
    ),
    Family(
        "CAP-BASE",
        "Baseball cap",
        "棒球帽",
        "Apparel",
        "650500",
        (280, 200, 120),
        110,
        Decimal("12.00"),
        Decimal("4.00"),
        100,
        (("BLK", "Black"), ("NAV", "Navy"), ("OLV", "Olive"), ("WHT", "White")),
    ),
    Family(
        "SHIRT-OXF",
        "Oxford shirt",
        "牛津纺衬衫",
        "Apparel",
        "620520",
        (320, 260, 40),
        290,
        Decimal("45.00"),
        Decimal("13.00"),
        50,
        (("WHT", "White"), ("NAV", "Navy"), ("PNK", "Pink")),
        ("S", "M", "L", "XL", "XXL"),
    ),
    Family(
        "JACKET-RAIN",
        "Packable rain jacket",
        "便携防雨夹克",
        "Apparel",
        "621040",
        (330, 270, 50),
        310,
        Decimal("88.00"),
        Decimal("24.00"),
        30,
        (("BLK", "Black"), ("NAV", "Navy"), ("OLV", "Olive")),
        ("S", "M", "L", "XL", "XXL"),
    ),
    Family(
        "SHORTS-RUN",
        "Running shorts",
        "跑步短裤",
        "Apparel",
        "620343",
        (260, 220, 25),
        140,
        Decimal("24.00"),
        Decimal("7.00"),
        100,
        (("BLK", "Black"), ("GRY", "Grey"), ("NAV", "Navy")),
        ("S", "M", "L", "XL", "XXL"),
    ),
    Family(
        "DRESS-LINEN",
        "Linen summer dress",
        "亚麻夏季连衣裙",
        "Apparel",
        "620449",
        (320, 260, 40),
        260,
        Decimal("68.00"),
        Decimal("19.00"),
        40,
        (("WHT", "White"), ("OLV", "Olive"), ("PNK", "Pink")),
        ("XS", "S", "M", "L"),
    ),
    Family(
        "BAG-TOTE",
        "Canvas tote bag",
        "帆布托特包",
        "Apparel",
        "420222",
        (400, 350, 20),
        240,
        Decimal("16.00"),
        Decimal("5.00"),
        60,
        (("BLK", "Black"), ("WHT", "White"), ("NAV", "Navy"), ("OLV", "Olive")),
    ),
    Family(
        "PILLOW-COVER",
        "Linen cushion cover 45 cm",
        "亚麻抱枕套 45厘米",
        "Home",
        "630499",
        (460, 460, 10),
        150,
        Decimal("14.00"),
        Decimal("4.00"),
        80,
        tuple(COLOURS.items()),
    ),
    Family(
        "MUG-CER",
        "Ceramic mug 350 ml",
        "陶瓷马克杯 350毫升",
        "Home",
        "691200",
        (120, 90, 100),
        380,
        Decimal("11.00"),
        Decimal("3.50"),
        36,
        (("WHT", "White"), ("BLK", "Black"), ("GRY", "Grey")),
    ),
    Family(
        "BOTTLE-STEEL",
        "Insulated steel bottle 750 ml",
        "不锈钢保温瓶 750毫升",
        "Home",
        "961700",
        (280, 80, 80),
        390,
        Decimal("35.00"),
        Decimal("10.00"),
        30,
        (("BLK", "Black"), ("WHT", "White"), ("NAV", "Navy"), ("PNK", "Pink")),
    ),
    Family(
        "TOWEL-BATH",
        "Bamboo bath towel",
        "竹纤维浴巾",
        "Home",
        "630260",
        (350, 250, 60),
        560,
        Decimal("28.00"),
        Decimal("8.00"),
        24,
        (("WHT", "White"), ("GRY", "Grey"), ("NAV", "Navy")),
    ),
    Family(
        "LAMP-DESK",
        "LED desk lamp",
        "LED台灯",
        "Home",
        "940520",
        (420, 160, 110),
        980,
        Decimal("85.00"),
        Decimal("22.00"),
        12,
        (("BLK", "Black"), ("WHT", "White")),
    ),
    Family(
        "CABLE-USBC",
        "USB-C cable 1 m",
        "USB-C数据线 1米",
        "Electronics accessories",
        "854442",
        (120, 80, 20),
        45,
        Decimal("6.20"),
        Decimal("2.00"),
        300,
        (("BLK", "Black"), ("WHT", "White")),
    ),
    Family(
        "CHARGER-65W",
        "65 W GaN charger",
        "65瓦氮化镓充电器",
        "Electronics accessories",
        "850440",
        (80, 60, 35),
        130,
        Decimal("58.00"),
        Decimal("15.00"),
        100,
        (("BLK", "Black"), ("WHT", "White")),
    ),
    Family(
        "PBANK-10K",
        "Power bank 10,000 mAh",
        "移动电源 10000毫安时",
        "Electronics accessories",
        "850760",
        (150, 75, 25),
        230,
        Decimal("72.00"),
        Decimal("18.00"),
        50,
        (("BLK", "Black"), ("WHT", "White"), ("NAV", "Navy")),
        flags=frozenset({"lithium_battery", "track_lot"}),
    ),
    Family(
        "EARBUD-TWS",
        "Wireless earbuds",
        "无线耳机",
        "Electronics accessories",
        "851830",
        (100, 80, 40),
        90,
        Decimal("95.00"),
        Decimal("25.00"),
        60,
        (("BLK", "Black"), ("WHT", "White")),
        flags=frozenset({"lithium_battery", "magnet", "track_serial"}),
    ),
    Family(
        "MOUNT-MAG",
        "Magnetic phone mount",
        "磁吸手机支架",
        "Electronics accessories",
        "851770",
        (90, 70, 50),
        85,
        Decimal("15.00"),
        Decimal("4.50"),
        120,
        (("BLK", "Black"), ("GRY", "Grey")),
        flags=frozenset({"magnet"}),
    ),
    Family(
        "CLEAN-SCREEN",
        "Screen cleaning spray 100 ml",
        "屏幕清洁喷雾 100毫升",
        "Electronics accessories",
        "340290",
        (130, 45, 45),
        140,
        Decimal("7.50"),
        Decimal("2.50"),
        96,
        (("WHT", "White"),),
        flags=frozenset({"liquid", "track_expiry", "track_lot"}),
    ),
)

# Kits: (code, name_en, name_zh, [(component code, quantity)])
KITS: tuple[tuple[str, str, str, tuple[tuple[str, int], ...]], ...] = (
    (
        "KIT-TRAVEL-CHARGE",
        "Travel charging kit",
        "旅行充电套装",
        (("CHARGER-65W-BLK", 1), ("CABLE-USBC-BLK", 2), ("PBANK-10K-BLK", 1)),
    ),
    ("KIT-MORNING", "Morning coffee set", "晨间咖啡套装", (("MUG-CER-WHT", 2), ("BOTTLE-STEEL-BLK", 1))),
    (
        "KIT-GYM-M",
        "Gym starter set, M",
        "健身入门套装（M码）",
        (("TEE-BASIC-BLK-M", 2), ("SOCK-RUN-BLK-M", 1), ("BOTTLE-STEEL-NAV", 1)),
    ),
    ("KIT-DESK", "Desk set", "桌面套装", (("LAMP-DESK-WHT", 1), ("CABLE-USBC-WHT", 1), ("MOUNT-MAG-GRY", 1))),
)


def gtin13(prefix: str, number: int) -> str:
    """A valid GTIN-13 from a 7-digit company prefix and an item number (mod-10 check digit)."""
    body = f"{prefix}{number:05d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Variant:
    family: Family
    code: str
    name_en: str
    name_zh: str
    colour: str
    size: str


def variant_rows() -> list[Variant]:
    """Every SKU of the families, in a stable order."""
    rows: list[Variant] = []
    for family in FAMILIES:
        for colour_code, colour in family.colours or (("", ""),):
            for size in family.sizes or ("",):
                suffix = ", ".join(p for p in (colour, size) if p)
                rows.append(
                    Variant(
                        family=family,
                        code="-".join(p for p in (family.style, colour_code, size) if p),
                        name_en=f"{family.name_en} — {suffix}" if suffix else family.name_en,
                        name_zh=f"{family.name_zh}（{suffix}）" if suffix else family.name_zh,
                        colour=colour,
                        size=size,
                    )
                )
    return rows
