from haicang.catalog.models.links import Barcode, KitComponent
from haicang.catalog.models.skus import Product, Sku, SkuStatusChoices

__all__ = ["Barcode", "KitComponent", "Product", "Sku", "SkuStatusChoices"]
