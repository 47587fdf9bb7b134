"""The word lists and shares :mod:`pathways.synthetic` draws from: fields and their topics,
provider kinds and names, ladder templates, credit options, review dates.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

# (name, phrase in qualification titles, degree name, topics). Topics name micro-credentials,
# courses and specialisations and are the skill tags; none holds a word NZQA bans from
# micro-credential titles.
FIELDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Information technology", "Information Technology", "Information Technology",
     ("cloud computing", "network security", "web development", "data analytics",
      "software testing", "cyber security", "database design", "IT service support",
      "machine learning", "user experience design")),
    ("Business", "Business", "Business",
     ("accounting", "digital marketing", "people and culture", "project coordination",
      "small business finance", "supply chain", "business analytics", "leadership",
      "customer experience", "payroll administration")),
    ("Health and wellbeing", "Health and Wellbeing", "Health Science",
     ("aged care", "mental health support", "infection prevention", "dementia care",
      "health promotion", "hauora Māori", "disability support", "first aid",
      "health data", "clinical leadership")),
    ("Construction and trades", "Construction Trades", "Construction",
     ("carpentry framing", "interior lining", "exterior cladding", "demolition",
      "kitchen installation", "concrete placing", "scaffolding", "site supervision",
      "plumbing", "electrical wiring")),
    ("Engineering", "Engineering", "Engineering Technology",
     ("road pavements", "stormwater design", "structural drafting", "surveying",
      "geotechnics", "electric vehicle systems", "mechatronics", "welding",
      "water treatment", "traffic management")),
    ("Early childhood education", "Early Childhood Education and Care",
     "Teaching (Early Childhood Education)",
     ("te reo Māori in early learning", "infant and toddler care", "play-based learning",
      "child development", "inclusive practice", "assessment for learning",
      "whānau partnership", "curriculum planning", "child wellbeing", "service leadership")),
    ("Primary industries", "Primary Industries", "Agriculture",
     ("tree planting", "chainsaw operation", "silviculture", "dairy herd management",
      "pasture management", "beekeeping", "horticulture", "irrigation",
      "farm health and safety", "biosecurity")),
    ("Hospitality", "Hospitality", "Culinary Arts",
     ("barista skills", "food safety", "commercial cookery", "front of house",
      "event management", "wine service", "patisserie", "kitchen leadership",
      "tourism operations", "accommodation services")),
    ("Creative arts", "Creative Arts", "Design",
     ("graphic design", "photography", "screen production", "music production",
      "game art", "illustration", "animation", "creative writing", "fashion design",
      "toi Māori")),
    ("Education", "Education", "Teaching",
     ("literacy teaching", "numeracy teaching", "digital learning", "classroom management",
      "learning support", "adult education", "tikanga in education",
      "assessment design", "instructional design", "education leadership")),
    ("Environmental management", "Environmental Management", "Environmental Management",
     ("ecology", "pest control", "freshwater monitoring", "climate adaptation",
      "waste minimisation", "conservation", "environmental law", "GIS mapping",
      "restoration planting", "sustainability reporting")),
    ("Mātauranga Māori", "Mātauranga Māori", "Māori Studies",
     ("te reo Māori", "tikanga Māori", "raranga", "whakairo", "kapa haka",
      "Māori governance", "whakapapa", "maramataka", "rongoā Māori", "iwi development")),
)

PROVIDER_KINDS = ("polytechnic", "university", "wananga", "pte", "ito")

# Of 40 providers: the mix of a national catalog.
_KIND_SHARE = {"polytechnic": 14, "university": 8, "wananga": 3, "pte": 12, "ito": 3}
_NAMES = (
    "Kōwhai", "Rimu", "Kauri", "Tōtara", "Mānuka", "Harakeke", "Pōhutukawa", "Rātā",
    "Kahikatea", "Miro", "Mataī", "Nīkau", "Horoeka", "Karaka", "Tītoki", "Ponga", "Raupō",
    "Kawakawa", "Pūriri", "Tawa", "Tūī", "Kererū", "Pīwakawaka", "Kākā", "Kea", "Tīeke",
    "Kōkako", "Hoiho", "Tākahe", "Kōtare", "Riroriro", "Toroa", "Pūkeko", "Korimako",
    "Weka", "Ruru", "Kākāriki", "Kārearea", "Tara", "Matuku",
)
_NAME_PATTERN = {
    "polytechnic": "{} Polytechnic", "university": "{} University",
    "wananga": "Te Wānanga o {}", "pte": "{} Training Academy", "ito": "{} Industry Training",
}
_FIELD_INDEX = {name: i for i, (name, *_rest) in enumerate(FIELDS)}
_TRADE_FIELDS = ("Construction and trades", "Engineering", "Primary industries", "Hospitality")
_OFFERED = {  # fields a provider of each kind may offer, and how many
    "polytechnic": (tuple(f[0] for f in FIELDS if f[0] != "Mātauranga Māori"), (6, 10)),
    "university": (tuple(f[0] for f in FIELDS
                         if f[0] not in ("Construction and trades", "Hospitality")), (7, 10)),
    "wananga": (("Mātauranga Māori", "Education", "Early childhood education",
                 "Health and wellbeing", "Business", "Creative arts",
                 "Environmental management"), (3, 5)),
    "pte": (("Information technology", "Business", "Health and wellbeing", "Hospitality",
             "Early childhood education", "Creative arts"), (1, 3)),
    "ito": (_TRADE_FIELDS, (1, 2)),
}
_DELIVERY = {
    "polytechnic": (("in-person",), ("blended",), ("online", "blended"), ("in-person", "blended")),
    "university": (("in-person",), ("in-person", "online"), ("online",), ("blended",)),
    "wananga": (("in-person",), ("blended",), ("in-person", "blended")),
    "pte": (("online",), ("blended",), ("in-person",), ("online", "blended")),
    "ito": (("workplace",), ("workplace", "blended"), ("workplace", "in-person")),
}

# Ladder templates: rungs of (type, level, credit options); a family takes a run of rungs.
_Rung = tuple[tuple[str, int, tuple[int, ...]], ...]
_TEMPLATES: dict[str, tuple[_Rung, ...]] = {
    "trades": ((("certificate", 2, (40, 60)),),
               (("certificate", 3, (60, 90, 120)),),
               (("certificate", 4, (120,)),),
               (("diploma", 5, (120,)),)),
    "vocational": ((("certificate", 3, (60,)), ("certificate", 4, (60,))),
                   (("certificate", 4, (120,)), ("certificate", 5, (60, 120))),
                   (("diploma", 5, (120,)), ("diploma", 6, (120,)), ("certificate", 6, (60,))),
                   (("bachelor", 7, (360,)),)),
    "short": ((("certificate", 3, (40, 60)), ("certificate", 4, (60,))),
              (("certificate", 4, (120,)), ("certificate", 5, (60, 120))),
              (("diploma", 5, (120,)), ("diploma", 6, (120,)))),
    "undergraduate": ((("certificate", 5, (60, 120)), ("diploma", 6, (120,)),
                       ("diploma", 7, (120,))),
                      (("bachelor", 7, (360,)),),
                      (("graduate-certificate", 7, (60,)),),
                      (("graduate-diploma", 7, (120,)),)),
    "postgraduate": ((("graduate-certificate", 7, (60,)),
                      ("postgraduate-certificate", 8, (60,))),
                     (("graduate-diploma", 7, (120,)), ("postgraduate-diploma", 8, (120,))),
                     (("masters", 9, (120, 180, 240)),)),
}
_KIND_TEMPLATES = {
    "polytechnic": (("vocational", 6), ("trades", 3), ("short", 1)),
    "university": (("undergraduate", 6), ("postgraduate", 4)),
    "wananga": (("vocational", 8), ("undergraduate", 2)),
    "pte": (("short", 1),),
    "ito": (("trades", 1),),
}
_ID_PREFIX = {
    "certificate": "CERT", "diploma": "DIP", "bachelor": "BACH",
    "graduate-certificate": "GCERT", "graduate-diploma": "GDIP",
    "postgraduate-certificate": "PGCERT", "postgraduate-diploma": "PGDIP", "masters": "MAST",
}
# The level profile's main clause per type (semantics: at least m credits at level >= L);
# the "all credits at level >= L-1" clauses of the NZQF table are left to the user.
_PROFILE = {"diploma": 72, "bachelor": 72, "graduate-diploma": 72,
            "postgraduate-certificate": 40, "postgraduate-diploma": 72, "masters": 40}
# Most credits stacking may count, as a share of the qualification (CRT caps).
_CAP_SHARE = {"certificate": (0.5, 0.75), "diploma": (0.5, 0.5), "bachelor": (1 / 3, 1 / 3),
              "graduate-certificate": (0.5, 0.5), "graduate-diploma": (0.5, 0.5),
              "postgraduate-certificate": (0.5, 0.5), "postgraduate-diploma": (0.5, 0.5),
              "masters": (1 / 3, 1 / 3)}
_MICRO_CREDITS = (2, 3, 5, 5, 5, 10, 10, 10, 10, 15, 15, 15, 20, 20, 25, 30, 40)
_COURSE_CREDITS = (15, 15, 15, 15, 10, 20, 30)
_MICRO_TITLES = ("{} Fundamentals", "{} in Practice", "{} Essentials", "Foundations of {}",
                 "Applied {}", "{} for the Workplace", "{} Skills", "Advanced {}")
_ROMAN = ("I", "II", "III", "IV")
_REVIEW_FROM = date(2025, 1, 1)
_REVIEW_PAST_DAYS = (date(2026, 11, 1) - _REVIEW_FROM).days  # a few reviews overdue
_REVIEW_DAYS = (date(2029, 12, 31) - _REVIEW_FROM).days


# -- texts from the tables ---------------------------------------------------------------------
def _qualification_title(qtype: str, level: int, phrase: str, degree: str, topic: str,
                         dice: Any) -> str:
    spec = _cap(topic)
    if qtype == "certificate":
        return f"Certificate in {phrase} ({spec}) (Level {level})"
    if qtype == "diploma":
        return f"Diploma in {phrase} ({spec}) (Level {level})"
    if qtype == "bachelor":
        return f"Bachelor of {degree}" + (f" ({spec})" if dice.chance(0.6) else "")
    if qtype == "masters":
        return f"Master of {degree}" + (f" ({spec})" if dice.chance(0.5) else "")
    words = {"graduate-certificate": "Graduate Certificate",
             "graduate-diploma": "Graduate Diploma",
             "postgraduate-certificate": "Postgraduate Certificate",
             "postgraduate-diploma": "Postgraduate Diploma"}[qtype]
    return f"{words} in {spec}"


@functools.cache
def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


@functools.cache
def _slug(text: str) -> str:
    return "-".join(text.lower().split())


# (field, topic) -> the field's other topics as skill tags
_OTHER_SKILLS = {(i, topic): tuple(_slug(t) for t in f[3] if t != topic)
                 for i, f in enumerate(FIELDS) for topic in f[3]}
