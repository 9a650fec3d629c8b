"""Where a generated order happened: a region of the directory and a made-up address in it.

Towns, streets and communities are the directory's; estates, roads and villages below
them are invented from ``phrasebook`` pieces. A rural matter (a template naming a village)
prefers a town (镇/乡) over a street (街道) office.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from hotline.demo.history import phrasebook as pb
from hotline.demo.history.sampling import Weighted
from hotline.interchange.directory_index import DirectoryIndex

COMMUNITY_SHARE = 0.6  # urban orders placed in a community when the town lists some


@dataclass(slots=True)
class Place:
    region: str  # the most precise region code
    district: str  # district region code
    town: str  # town region code
    district_name: str
    town_name: str
    community_name: str
    estate: str
    road: str
    road2: str
    village: str
    building: int
    rural: bool
    address: str

    @property
    def spot(self) -> str:
        """A short name for the place, for replies ("到{place}现场核实")."""
        return self.village if self.rural else self.estate


class PlaceMaker:
    def __init__(self, index: DirectoryIndex):
        self._district_names = {code: index.regions[code].name for code in index.towns}
        self._urban: dict[str, Weighted] = {}
        self._rural: dict[str, Weighted] = {}
        self._communities = {
            town: [(c.code, c.name) for c in rows] for town, rows in index.communities.items()
        }
        for district, towns in index.towns.items():
            pairs = [(t.code, t.name) for t in towns]
            street = [t.name.endswith("街道") for t in towns]
            self._urban[district] = Weighted(
                (pair, 3.0 if is_street else 1.0)
                for pair, is_street in zip(pairs, street, strict=True)
            )
            self._rural[district] = Weighted(
                (pair, 0.4 if is_street else 3.0)
                for pair, is_street in zip(pairs, street, strict=True)
            )
        self._estates = [p + s for p in pb.NAME_PIECES for s in pb.ESTATE_SUFFIXES]
        self._roads = [p + s for p in pb.NAME_PIECES for s in pb.ROAD_SUFFIXES]
        self._villages = [p + "村" for p in pb.VILLAGE_PIECES]

    def make(self, district: str, rural: bool, rng: Random) -> Place:
        pick = self._rural[district] if rural else self._urban[district]
        town, town_name = pick.pick(rng)
        choice = rng.choice
        estate, road, road2, village = (
            choice(self._estates),
            choice(self._roads),
            choice(self._roads),
            choice(self._villages),
        )
        building = rng.randint(1, 28)
        region, community = town, ""
        communities = self._communities.get(town)
        if communities and not rural and rng.random() < COMMUNITY_SHARE:
            region, community = choice(communities)
        where = self._district_names[district] + town_name + community
        if rural:
            address = f"{where}{village}{rng.randint(1, 12)}组"
        elif rng.random() < 0.5:
            address = f"{where}{estate}{building}栋"
        else:
            address = f"{where}{road}{rng.randint(1, 399)}号"
        return Place(
            region=region,
            district=district,
            town=town,
            district_name=self._district_names[district],
            town_name=town_name,
            community_name=community,
            estate=estate,
            road=road,
            road2=road2 if road2 != road else road2 + "支",
            village=village,
            building=building,
            rural=rural,
            address=address,
        )
