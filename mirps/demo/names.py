"""Honduran given names and surnames, and the ways registrars misspell them.

The lists are common names in Honduras, roughly most frequent first (the generator weights
them by rank, so a few names are very common and most are rare, as in any real registry).
The spelling variants are the ones seen when the same person is typed twice by different
registrars: accents left out, a letter doubled or dropped, s/z or b/v or y/ll confused, a
second given name or second surname omitted, surnames swapped.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import unicodedata
from collections.abc import Sequence
from typing import Any

MALE = (
    "José", "Juan", "Carlos", "Luis", "Jorge", "Mario", "Kevin", "Josué", "Marvin", "Wilmer",
    "Elvin", "Denis", "Darwin", "Edwin", "Nelson", "Óscar", "Héctor", "Víctor", "Francisco",
    "Miguel", "Ángel", "David", "Daniel", "Cristian", "Jonathan", "Brayan", "Erick", "Alex",
    "Allan", "Henry", "Franklin", "Walter", "Wilson", "Rony", "Selvin", "Elmer", "Fredy",
    "Jesús", "Manuel", "Pedro", "Santos", "Marco", "Roberto", "Ricardo", "Rafael", "Ramón",
    "Julio", "César", "Eduardo", "Fernando", "Andrés", "Alejandro", "Javier", "Sergio", "Rubén",
    "Raúl", "Gerson", "Anderson", "Jefferson", "Elías", "Isaac", "Samuel", "Moisés", "Abel",
    "Ariel", "Axel", "Dilan", "Yeferson", "Bayron", "Olvin", "Nery", "Lester", "Osman",
    "Dagoberto", "Reinaldo", "Orlando", "Armando", "Arnold", "Alexis", "Antonio", "Gustavo",
    "Hugo", "Iván", "Joel", "Jairo", "Kenneth", "Leonel", "Lenin", "Maynor", "Milton", "Norman",
    "Omar", "Pablo", "Ramiro", "Rigoberto", "Rolando", "Saúl", "Tomás", "Ulises", "Wilfredo",
    "Yovani", "Germán", "Gilberto", "Enrique", "Ernesto", "Esteban", "Emerson", "Edgar", "Elder",
    "Fabricio", "Felipe", "Gabriel", "Gerardo", "Guillermo", "Hernán", "Ismael", "Jaime",
    "Joaquín", "Josías", "Leonardo", "Lorenzo", "Marcos", "Martín", "Mauricio", "Melvin", "Nahún",
    "Noé", "Obed", "Rodrigo", "Salvador", "Sebastián", "Teodoro", "Uriel", "Vicente", "Wilber",
    "Heber", "Efraín", "Eliseo", "Adán", "Alfredo", "Arturo", "Benjamín", "Bernardo", "Brandon",
    "Byron", "Cristóbal", "Dixon", "Elvis", "Emilio", "Erlin", "Everth", "Fausto", "Hermes",
    "Irvin", "Jeison", "Kelvin", "Lázaro", "Matías", "Nicolás", "Reynaldo", "Santiago", "Tito",
    "Wálter", "Yair", "Zacarías", "Amílcar", "Cándido", "Eugenio", "Florencio", "Gregorio",
)

FEMALE = (
    "María", "Ana", "Karla", "Suyapa", "Sofía", "Dania", "Daniela", "Gabriela", "Alejandra",
    "Andrea", "Carolina", "Cindy", "Claudia", "Dayana", "Delmy", "Doris", "Elsa", "Fátima",
    "Glenda", "Heidy", "Iris", "Jessica", "Johana", "Kenia", "Keila", "Lesly", "Lidia", "Marta",
    "Mirian", "Nancy", "Nidia", "Norma", "Olga", "Paola", "Reina", "Rosa", "Sandra", "Tania",
    "Wendy", "Yesenia", "Yolanda", "Zoila", "Xiomara", "Lourdes", "Marlen", "Belkis", "Ilsa",
    "Alba", "Angie", "Astrid", "Blanca", "Brenda", "Carmen", "Cecilia", "Cristina", "Dilcia",
    "Dora", "Edith", "Elena", "Emilia", "Esther", "Estefany", "Evelyn", "Fanny", "Flor", "Gladys",
    "Guadalupe", "Hilda", "Ingrid", "Isabel", "Jennifer", "Joselyn", "Juana", "Julia", "Karen",
    "Katherine", "Kimberly", "Laura", "Leticia", "Lilian", "Lorena", "Lucía", "Luz", "Marcela",
    "Maribel", "Marisol", "Marleny", "Mayra", "Melissa", "Mercedes", "Milagro", "Mónica", "Nelly",
    "Nohemí", "Patricia", "Perla", "Raquel", "Rebeca", "Rocío", "Ruth", "Sara", "Silvia", "Sonia",
    "Teresa", "Vilma", "Virginia", "Yadira", "Yamileth", "Yaneth", "Yolani", "Zulema", "Abigail",
    "Adriana", "Alicia", "Amanda", "Ángela", "Antonia", "Aracely", "Berta", "Carla", "Concepción",
    "Damaris", "Deysi", "Digna", "Elvia", "Eva", "Francis", "Gloria", "Irma", "Jacqueline",
    "Josefa", "Juliana", "Kelly", "Lesbia", "Linda", "Magdalena", "Margarita", "Maritza",
    "Merlin", "Nelsy", "Nora", "Orfilia", "Rosario", "Sindy", "Sulma", "Vanessa", "Victoria",
    "Waleska", "Yulisa", "Zaida", "Ondina", "Nataly", "Scarleth", "Dulce", "Ashley", "Génesis",
    "Valeria", "Camila", "Ximena", "Belinda", "Consuelo", "Eduvina", "Herminia", "Isis", "Jimena",
)

SURNAMES = (
    "Hernández", "López", "Martínez", "Rodríguez", "García", "Mejía", "Flores", "Reyes", "Cruz",
    "Pérez", "Sánchez", "Ramírez", "Castro", "Gómez", "Díaz", "Velásquez", "Ramos", "Fúnez",
    "Paz", "Zelaya", "Maradiaga", "Aguilar", "Bonilla", "Castillo", "Chávez", "Figueroa",
    "Guzmán", "Ortiz", "Torres", "Rivera", "Morales", "Vásquez", "Romero", "Rosales", "Mendoza",
    "Ávila", "Alvarado", "Amaya", "Andino", "Argueta", "Banegas", "Barahona", "Benítez",
    "Bustillo", "Caballero", "Cáceres", "Cálix", "Canales", "Carranza", "Cárcamo", "Cerrato",
    "Colindres", "Contreras", "Cordero", "Cortés", "Dubón", "Durón", "Enamorado", "Espinal",
    "Espinoza", "Euceda", "Fernández", "Fiallos", "Galeas", "Gálvez", "Girón", "Godoy",
    "González", "Gutiérrez", "Guevara", "Herrera", "Irías", "Izaguirre", "Jiménez", "Lagos",
    "Lara", "Lanza", "Lobo", "Maldonado", "Manzanares", "Márquez", "Matute", "Medina", "Meza",
    "Midence", "Molina", "Moncada", "Montoya", "Munguía", "Murillo", "Núñez", "Ochoa", "Orellana",
    "Osorto", "Padilla", "Palma", "Pineda", "Ponce", "Portillo", "Posadas", "Quintanilla",
    "Raudales", "Rivas", "Salgado", "Santos", "Sierra", "Soto", "Suazo", "Tábora", "Turcios",
    "Umanzor", "Urbina", "Valladares", "Varela", "Vallecillo", "Villanueva", "Zavala", "Zepeda",
    "Álvarez", "Acosta", "Aguilera", "Almendárez", "Alonzo", "Arita", "Ayala", "Baquedano",
    "Bardales", "Cabrera", "Carías", "Chinchilla", "Coello", "Corrales", "Erazo", "Escobar",
    "Estrada", "Ferrera", "Gámez", "Hándal", "Hidalgo", "Leiva", "Lemus", "Madrid", "Medrano",
    "Melgar", "Mercado", "Mondragón", "Navarro", "Oliva", "Pacheco", "Peña", "Perdomo", "Rápalo",
    "Sevilla", "Solís", "Tróchez", "Vargas", "Vega", "Yánez", "Zúniga", "Elvir", "Discua",
    "Membreño", "Montes", "Nolasco", "Ordóñez", "Paredes", "Quiroz", "Salinas", "Sorto", "Toledo",
    "Ventura", "Vindel", "Cardona", "Chirinos", "Aguiluz", "Alemán", "Bautista", "Cantarero",
)

# Letters registrars confuse by ear; each pair works both ways.
_SOUND_ALIKE = (("z", "s"), ("v", "b"), ("y", "i"), ("ll", "y"), ("ce", "se"), ("ci", "si"))


class Weighted:
    """Options drawn by weight, cumulative weights computed once (random.choices redoes them each call)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _by_rank(names: Sequence[str]) -> Weighted:
    # Zipf-like: the 1st name is ~8x as common as the 50th, ~20x the 150th.
    return Weighted(names, [1.0 / (rank + 8) ** 1.05 for rank in range(len(names))])


class NamePicker:
    def __init__(self) -> None:
        self._male = _by_rank(MALE)
        self._female = _by_rank(FEMALE)
        self._surnames = _by_rank(SURNAMES)

    def given(self, rng: random.Random, sex: str) -> str:
        names = self._male if sex == "M" else self._female
        first = names.pick(rng)
        if rng.random() < 0.6:  # most Hondurans carry two given names
            second = names.pick(rng)
            if second != first:
                return f"{first} {second}"
        return first

    def surname(self, rng: random.Random) -> str:
        return self._surnames.pick(rng)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    # Keep ñ: registrars drop accents far more often than the tilde of the ñ.
    kept = "".join(c for c in decomposed if not (unicodedata.combining(c) and c != "\u0303"))
    return unicodedata.normalize("NFC", kept)


def typo(word: str, rng: random.Random) -> str:
    """One plausible slip of the keyboard or the ear; letters only, so the name stays valid."""
    lower = word.lower()
    for _attempt in range(6):
        kind = rng.random()
        if kind < 0.4:
            a, b = rng.choice(_SOUND_ALIKE)
            if rng.random() < 0.5:
                a, b = b, a
            i = lower.find(a, 1)
            if i < 0:
                continue
            out = word[:i] + b + word[i + len(a):]
        elif kind < 0.6 and len(word) > 4:
            i = rng.randrange(1, len(word) - 1)
            out = word[:i] + word[i + 1:]  # a letter dropped
        elif kind < 0.8:
            # a consonant doubled ('Guillermmo'); doubled vowels are rarer slips
            spots = [j for j in range(1, len(word)) if word[j] in "lnrstmcp"]
            if not spots:
                continue
            i = rng.choice(spots)
            out = word[:i] + word[i] + word[i:]
        elif len(word) > 3:
            i = rng.randrange(1, len(word) - 1)
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]  # two letters swapped
        else:
            continue
        if out != word and out.replace(" ", "").isalpha():
            return out[0].upper() + out[1:]
    return strip_accents(word) if strip_accents(word) != word else word + word[-1]


def misspell(name: str, rng: random.Random) -> str:
    """A typo in one word of a possibly compound name ('José Luis' -> 'José Luiz')."""
    words = name.split(" ")
    i = rng.randrange(len(words))
    words[i] = typo(words[i], rng)
    return " ".join(words)


@functools.cache
def _weighted(options: tuple[tuple[str, float], ...]) -> Weighted:
    return Weighted([o for o, _w in options], [w for _o, w in options])


def pick_weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    """One option of ((value, weight), ...); the weights are prepared once per options tuple."""
    return _weighted(options).pick(rng)
