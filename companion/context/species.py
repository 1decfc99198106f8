"""Species text from a chart -> the controlled vocabulary (companion.context.model.Species)."""

from __future__ import annotations

import re

from companion.context.model import Species

# Multi-word names come first so 'guinea pig' is a rodent, not a pig, and 'bearded dragon' a reptile.
_SYNONYMS: dict[Species, tuple[str, ...]] = {
    Species.rodent: ("guinea pig", "rodent", "rat", "mouse", "mice", "hamster", "cavy", "gerbil", "chinchilla",
                     "degu", "squirrel", "rodentia"),
    Species.feline: ("domestic short hair", "domestic shorthair", "domestic long hair", "domestic longhair",
                     "domestic medium hair", "cat", "cats", "feline", "kitten", "kitty", "dsh", "dmh", "dlh", "felis"),
    Species.canine: ("canis familiaris", "dog", "dogs", "canine", "k9", "k-9", "puppy", "pup", "canis"),
    Species.equine: ("horse", "equine", "pony", "foal", "mare", "stallion", "gelding", "donkey", "mule", "equus",
                     "filly", "colt"),
    Species.bovine: ("cow", "cattle", "bovine", "bull", "calf", "heifer", "steer", "ox", "bos"),
    Species.ovine: ("sheep", "ovine", "lamb", "ewe", "ram", "ovis"),
    Species.caprine: ("goat", "caprine", "capra", "goatling", "kid goat"),
    Species.porcine: ("pot bellied pig", "pot-bellied pig", "mini pig", "micro pig", "pig", "porcine", "swine",
                      "hog", "piglet", "boar", "sow"),
    Species.lagomorph: ("rabbit", "bunny", "lagomorph", "hare", "oryctolagus"),
    Species.ferret: ("ferret", "mustela"),
    Species.reptile: ("bearded dragon", "reptile", "snake", "lizard", "gecko", "iguana", "tortoise", "turtle",
                      "python", "boa", "chameleon", "skink", "terrapin", "pogona", "corn snake", "dragon"),
    Species.avian: ("african grey", "bird", "avian", "budgie", "budgerigar", "parrot", "cockatiel", "cockatoo",
                    "canary", "finch", "chicken", "hen", "rooster", "duck", "goose", "macaw", "lovebird",
                    "parakeet", "pigeon", "dove", "conure", "poultry", "owl", "hawk", "psittacine"),
    Species.amphibian: ("amphibian", "frog", "toad", "axolotl", "salamander", "newt"),
    Species.fish: ("fish", "koi", "goldfish", "betta", "carp", "cichlid", "guppy"),
    Species.other: ("other", "exotic", "hedgehog", "sugar glider", "alpaca", "llama", "camelid"),
}
_PHRASES = sorted(((syn, sp) for sp, syns in _SYNONYMS.items() for syn in syns), key=lambda p: -len(p[0]))


def normalise_species(text: str) -> Species | None:
    """The vocabulary entry a species text names, or None if nothing matches."""
    cleaned = " " + re.sub(r"[^a-z0-9-]+", " ", text.lower()).strip() + " "
    for phrase, species in _PHRASES:
        if f" {phrase} " in cleaned:
            return species
    return None


_SEX = [
    (r"^(mn|m/n|mc|male neutered|male \(neutered\)|neutered male|castrated male|male castrated|gelding)$",
     "male neutered"),
    (r"^(fs|f/s|fn|female spayed|female \(spayed\)|spayed female|female neutered|neutered female)$",
     "female spayed"),
    (r"^(mi|me|m/i|male intact|male entire|entire male|intact male|male \(entire\)|male \(intact\)|stallion|"
     r"bull|ram|boar)$", "male intact"),
    (r"^(fi|fe|f/i|female intact|female entire|entire female|intact female|female \(entire\)|female \(intact\)|"
     r"mare|queen)$", "female intact"),
    (r"^(m|male)$", "male"),
    (r"^(f|female)$", "female"),
    (r"^(u|unknown|unk|\?)$", "unknown"),
]


def normalise_sex(text: str) -> str:
    """Common PIMS sex codes (MN, FS, ME...) spelled out; anything else kept as written."""
    cleaned = re.sub(r"\s+", " ", text.strip().lower().rstrip("."))
    for pattern, value in _SEX:
        if re.match(pattern, cleaned):
            return value
    return text.strip()
