"""Sentence classification into history, exam findings by body system, assessment and plan items."""

import re

from companion.notes.model import NoteItem
from companion.notes.text import Sentence, clean


def _rx(*words: str) -> re.Pattern:
    """A word-start alternation for lower-case text, grouped by first letter.

    Python's regex engine tries every alternative at every position; grouping by the first letter lets it
    reject most alternatives with one comparison, which keeps a 2,000-word consult well inside 50 ms.
    """
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for word in words:
        if word[0].isalnum():
            groups.setdefault(word[0], []).append(word[1:])
        else:
            rest.append(word)
    parts = [f"{first}(?:{'|'.join(tails)})" for first, tails in groups.items()] + rest
    return re.compile(r"\b(?:" + "|".join(parts) + r")")


SYSTEMS: dict[str, re.Pattern] = {
    "general": _rx(r"bar\b", r"qar\b", r"bright", r"alert", r"responsive", r"demeanou?r", r"mentation",
                   r"hydrat", r"dehydrat", r"lethargic\b", r"depressed\b", r"obtunded", r"body condition",
                   r"overweight", r"underweight", r"skinny", r"obese", r"well[- ]muscled"),
    "eyes": _rx(r"eyes?\b", r"ocular", r"cornea", r"conjunctiv", r"sclera", r"pupils?\b", r"lens\b", r"cataract",
                r"retina", r"eyelids?", r"famacha", r"third eyelid", r"nuclear sclerosis", r"squint", r"menace"),
    "ears": _rx(r"ears?\b", r"pinnae?\b", r"ear canals?", r"tympanic", r"otitis", r"otic\b"),
    "nose_throat": _rx(r"nose\b", r"nasal", r"nares", r"sneez", r"throat", r"pharyn", r"laryn", r"choana"),
    "oral": _rx(r"mouth", r"oral\b", r"teeth", r"tooth", r"dental", r"gums?\b", r"gingiv", r"tartar", r"calculus",
                r"periodont", r"incisors?", r"molars?", r"premolars?", r"triadan", r"beak", r"hooks?\b", r"points\b"),
    "lymph_nodes": _rx(r"lymph", r"lymphadenopathy", r"submandibular", r"popliteal", r"prescapular", r"nodes\b"),
    "cardiovascular": _rx(r"heart\b(?! ?rate)", r"murmur", r"cardiac", r"arrhythmi", r"pulses?\b(?! ?rate)",
                          r"gallop", r"rhythm", r"jugular"),
    "respiratory": _rx(r"lungs?\b", r"breath sounds", r"crackles", r"wheez", r"airway", r"stridor", r"dyspn",
                       r"lung sounds", r"chest\b", r"trachea", r"air sacs?", r"tail bob", r"respiratory effort",
                       r"crackl", r"auscult"),
    "abdomen": _rx(r"abdom", r"belly", r"gut sounds", r"gi sounds", r"stomach", r"intestin", r"rumen",
                   r"rumin", r"borborygm", r"spleen", r"liver\b", r"gut\b", r"fecal output", r"ping\b",
                   r"caecum", r"cecum", r"cloaca", r"coelom", r"palpat"),
    "urogenital": _rx(r"bladder", r"kidneys?", r"urin", r"testicle", r"testes", r"vulva", r"prepuce",
                      r"mammary", r"udder", r"teats?\b", r"quarters?\b", r"uterus", r"penis", r"scrotum", r"genital"),
    "musculoskeletal": _rx(r"lame", r"limp", r"gait", r"joints?\b", r"hips?\b", r"stifle", r"elbow", r"hock",
                           r"fetlock", r"carpus", r"hoof", r"hooves", r"sole\b", r"muscle", r"spine", r"flexion",
                           r"limbs?\b", r"legs?\b", r"cruciate", r"drawer", r"range of motion", r"crepitus",
                           r"effusion", r"keel", r"digital pulses", r"hoof testers?", r"weight[- ]bearing",
                           r"shoulder", r"back\b", r"foot\b", r"feet\b", r"claw"),
    "integument": _rx(r"skin", r"coat\b", r"fur\b", r"hair", r"mass(?:es)?\b", r"lump", r"lesion", r"alopeci",
                      r"fleas?\b", r"prurit", r"itch", r"wound", r"rash", r"scab", r"feathers?", r"scales?\b",
                      r"shed", r"dysecdysis", r"plumage", r"nails?\b", r"hot spots?", r"erythema", r"pustule",
                      r"papule", r"crust", r"dander", r"abscess", r"incision", r"laceration"),
    "neurologic": _rx(r"neuro", r"reflex", r"proprioception", r"cranial nerve", r"ataxi", r"seizur",
                      r"head tilt", r"nystagmus", r"paresis", r"conscious proprioception", r"circling"),
}
_FINDING = _rx(r"normal", r"nsf\b", r"wnl\b", r"unremarkable", r"looks?\b", r"sounds?\b", r"feels?\b", r"felt\b",
               r"palpat", r"clear\b", r"no\b", r"mild", r"moderate", r"severe", r"grade", r"tender", r"pain",
               r"swollen", r"swelling", r"enlarged", r"red\b", r"inflamed", r"discharge", r"heard", r"noted",
               r"notice", r"auscult", r"good\b", r"fine\b", r"healthy", r"present", r"detected", r"appreciate",
               r"see\b", r"seeing", r"there's", r"there is", r"has (?:a|an|some)\b", r"he's got", r"she's got",
               r"pink", r"soft", r"firm", r"thick", r"dirty", r"debris", r"waxy", r"ulcer", r"cloudy",
               r"bilateral", r"left", r"right", r"positive", r"negative", r"out of", r"tense", r"distended",
               r"lame", r"hot", r"warm", r"intact", r"missing", r"fractured", r"overgrown", r"sharp", r"retained",
               r"crackl", r"wheez", r"murmur", r"rhythm", r"pulse", r"eupn", r"tachy", r"brady", r"resolved",
               r"residual", r"improv", r"pale", r"quiet", r"responsive", r"alert", r"moving", r"contractions?", r"better", r"worse", r"reduced", r"increased", r"decreased", r"loose",
               r"prominent", r"small", r"large", r"watery", r"clots?", r"hard\b")
_NORMAL = _rx(r"normal", r"nsf\b", r"wnl\b", r"unremarkable", r"within normal limits", r"looks? (?:good|great|fine|"
              r"healthy|clean)", r"sounds? (?:good|great|fine|clear|normal)", r"clear\b", r"no abnormalit",
              r"nothing (?:abnormal|remarkable|of note)")
_NEGATED_FINDING = _rx(r"no\b", r"not\b", r"without", r"negative for", r"absent", r"denies", r"never")
_HISTORY_CUE = _rx(r"vomit", r"diarrh", r"stool", r"poop", r"cough", r"sneez", r"eating", r"eats", r"ate\b",
                   r"appetite", r"drink", r"thirst", r"urinat", r"peeing", r"pee\b", r"lethargic", r"tired",
                   r"sleep", r"limp", r"lame", r"itch", r"scratch", r"lick", r"chew", r"pain", r"hurt", r"cry",
                   r"whin", r"yelp", r"seizure", r"shak", r"trembl", r"swell", r"lump", r"bump", r"mass\b",
                   r"bleed", r"blood", r"discharge", r"weight", r"losing", r"gained", r"breath", r"pant",
                   r"wheez", r"energy", r"hiding", r"behavio", r"accident", r"strain", r"constipat", r"regurgit",
                   r"drool", r"sore", r"rash", r"hair loss", r"feather", r"pluck", r"shed", r"bask", r"enclosure",
                   r"tank\b", r"hay\b", r"pellets", r"diet", r"food", r"fed\b", r"feeding", r"since", r"yesterday",
                   r"last (?:night|week|month)", r"this morning", r"started", r"worse", r"better", r"medication",
                   r"pills?\b", r"gave\b", r"giving", r"milk", r"production", r"off feed", r"kick", r"colic",
                   r"rolling", r"sweat", r"calv", r"bloat", r"temperature", r"symptom", r"days?\b", r"weeks?\b",
                   r"months?\b", r"hours?\b", r"noticed", r"been\b", r"doing", r"stiff", r"wobbl", r"fell",
                   r"collapse", r"squint", r"rubbing", r"head shak", r"smell", r"odor", r"fever", r"nause",
                   r"chest", r"dizz", r"headache", r"ache", r"numb", r"tingl", r"anxi", r"depress", r"stress",
                   r"allerg", r"vaccin", r"shots?\b", r"heat\b", r"lay(?:ing)?\b", r"stopped", r"refus")
_HISTORY_VET = _rx(r"presents? (?:for|with|today)", r"presenting", r"here (?:today )?for", r"came in", r"coming in",
                   r"history of", r"owner (?:reports|says|states|noticed|mentioned)", r"(?:he|she|they|it)'s been",
                   r"(?:he|she|they) (?:has|have) been", r"reports?", r"according to")
_ASSESSMENT = _rx(r"i think", r"i suspect", r"suspect", r"likely", r"probably", r"consistent with", r"diagnos",
                  r"assessment", r"impression", r"rule out", r"differentials?", r"concern(?:ed)? (?:for|about|that)",
                  r"my guess", r"looks like (?:it's|he has|she has|an?|some|this is)", r"sounds like (?:it's|an?|"
                  r"he has|she has|this is)", r"appears to (?:be|have)", r"secondary to", r"stage \d",
                  r"this is (?:an?|likely|probably|most likely|consistent)", r"(?:he|she|it) has (?:an?|some)\b",
                  r"we're dealing with", r"the problem is", r"caused by", r"due to", r"prognosis",
                  r"is (?:an?|the) (?:infection|condition)", r"overall (?:healthy|good|doing well)")
_STRONG_ASSESSMENT = _rx(r"i think (?:this|it|that|she|he|the)", r"i suspect", r"diagnos", r"consistent with",
                         r"this is (?:an?|likely|probably|most likely|consistent|acute|chronic)", r"assessment",
                         r"impression", r"i'm concerned", r"concerned about", r"rule out", r"differentials?",
                         r"this looks like", r"it looks like (?:an?|it's)", r"most likely")
_DIAGNOSTIC = _rx(r"blood ?work", r"cbc", r"chem(?:istry|istries)?\b", r"panel", r"urinalysis", r"\bua\b",
                  r"urine (?:sample|culture|test)", r"culture", r"x-?rays?", r"radiograph", r"\brads\b",
                  r"ultrasound", r"echo(?:cardiogram)?\b", r"ecg", r"ekg", r"biopsy", r"cytology", r"\bfna\b",
                  r"aspirat", r"fecal", r"skin scrap", r"tape prep", r"heartworm test", r"4dx", r"snap test",
                  r"t4\b", r"thyroid (?:level|test|panel)", r"fructosamine", r"glucose curve", r"blood pressure",
                  r"sdma", r"pcr", r"titers?", r"tonometry", r"fluorescein", r"schirmer", r"ct scan", r"\bct\b",
                  r"mri", r"endoscop", r"nerve block", r"flexion test", r"ketone", r"lipid panel", r"a1c",
                  r"mammogram", r"colonoscopy", r"lab work", r"labs\b", r"bile acids", r"coggins", r"bhb",
                  r"lameness exam", r"blood test", r"imaging", r"stress test", r"swab", r"test(?:s|ing)?\b")
_FUTURE = _rx(r"will\b", r"should\b", r"let's", r"we'll", r"we will", r"i'd like", r"i would like", r"i want", r"going to", r"gonna",
              r"recommend", r"plan\b", r"we should", r"we need", r"i'll", r"i will", r"we can", r"next step",
              r"order", r"schedule", r"send (?:out|off)", r"submit", r"run\b", r"do (?:a|an|some)\b")
_RECHECK = _rx(r"recheck", r"re-check", r"follow[- ]?up", r"come back", r"bring (?:him|her|them|it) back",
               r"see (?:him|her|them|you|it) (?:again|back|in)", r"back in \d", r"return in", r"revisit",
               r"next visit", r"next appointment")
_INSTRUCTION = _rx(r"make sure", r"keep (?:him|her|it|them|an eye)", r"call (?:us|me|the clinic)",
                   r"if (?:he|she|it|they|you) (?:start|get|seem|show|stop|vomit|don't|doesn't|has|have|are|is)",
                   r"should\b", r"don't let", r"do not", r"avoid", r"restrict", r"strict rest", r"cage rest",
                   r"stall rest", r"feed\b", r"monitor", r"watch (?:for|out)", r"e-?collar", r"cone\b",
                   r"limit\b", r"no (?:running|jumping|bath|swimming)", r"with food", r"leash walk", r"crate",
                   r"bland diet", r"uvb", r"basking", r"humidity", r"hand[- ]walk", r"cold hos", r"ice\b",
                   r"soak", r"warm compress", r"fluids", r"water\b", r"diet\b", r"weight loss", r"brush",
                   r"clean (?:the|his|her) ears", r"isolate", r"withdrawal", r"milk (?:withhold|withdraw|discard)",
                   r"discard (?:the )?milk", r"meat withdraw")
_PLEASANTRY = _rx(r"thank", r"hello", r"hi\b", r"good (?:morning|afternoon)", r"nice to (?:meet|see)",
                  r"how are you", r"bye", r"see you", r"you're welcome", r"no problem", r"sounds good",
                  r"have a (?:good|great|nice)")
_TRIADAN = re.compile(r"(?<![\d.])([1-8](?:0[1-9]|1[01]))(?![\d.])")
_TRIADAN_CUE = _rx(r"tooth", r"teeth", r"triadan", r"fractur", r"extract", r"dental", r"incisor", r"molar",
                   r"premolar", r"canine tooth", r"root", r"resorpt", r"periodont", r"point", r"hook", r"wave")
_LAMENESS = re.compile(r"\b(?:grade\s+(\d)(?:\s*(?:/|out of|of)\s*5)?\s+(?:lameness|lame)|(\d)\s*(?:/|out of)\s*5\s+"
                       r"(?:lameness|lame)|lameness\D{0,30}?grade\s+(\d)(?:\s*(?:/|out of|of)\s*5)?|aaep(?: grade)?"
                       r"\s+(\d))\b", re.IGNORECASE)
_LIMB = re.compile(r"\b((?:left|right)\s+(?:fore|front|hind|rear)(?:\s*(?:limb|leg))?|\b[lr][fh]\b|"
                   r"(?:left|right)\s+(?:forelimb|hindlimb))", re.IGNORECASE)
_MIN_WORDS = 4


def classify(sentence: Sentence, has_medication: bool) -> list[tuple[str, NoteItem]]:
    """Sections (subjective, exam:<system>, assessment, plan) a sentence belongs to, with the item it yields."""
    text = clean(sentence.text)
    low = sentence.lower
    words = len(low.split())
    if not text or words < 2 or (_PLEASANTRY.search(low) and words < 8):
        return []
    provenance = [sentence.provenance()]
    if not sentence.by_clinician:
        if words >= _MIN_WORDS and not sentence.is_question and _HISTORY_CUE.search(low):
            return [("subjective", NoteItem(kind="client_report", text=text, provenance=provenance))]
        return []
    if sentence.is_question:
        return []
    return _clinician_items(sentence, text, low, words, provenance, has_medication)


_PRESENTING = _rx(r"presents? (?:for|with|today)", r"presenting", r"here (?:today )?(?:for|because)",
                  r"came in (?:for|because)", r"coming in (?:for|because)", r"history of",
                  r"owner (?:reports|says|states|noticed|mentioned)", r"chief complaint")


def _clinician_items(sentence, text, low, words, provenance, has_medication) -> list[tuple[str, NoteItem]]:
    if _PRESENTING.search(low) and words >= 5 and not has_medication:
        return [("subjective", NoteItem(kind="history", text=text, provenance=provenance))]
    if _RECHECK.search(low) and not has_medication:
        return [("plan", NoteItem(kind="recheck", text=text, provenance=provenance))]
    if _DIAGNOSTIC.search(low) and _FUTURE.search(low) and not has_medication:
        return [("plan", NoteItem(kind="diagnostic", text=text, provenance=provenance))]
    strong_assessment = _STRONG_ASSESSMENT.search(low)
    if strong_assessment and words >= _MIN_WORDS:
        return [("assessment", NoteItem(kind="diagnosis", text=text, provenance=provenance))]
    systems = [name for name, pattern in SYSTEMS.items() if pattern.search(low)]
    if systems and _FINDING.search(low) and not _FUTURE.search(low) and words <= 60:
        normal = bool(_NORMAL.search(low))
        negated = bool(_NEGATED_FINDING.search(low))
        kind = "normal" if normal and not re.search(r"\b(?:but|except|however|mild|moderate|severe)\b", low) \
            else "finding"
        return [(f"exam:{system}", NoteItem(kind=kind, text=text, system=system, negated=negated,
                                            provenance=provenance)) for system in systems[:3]]
    if _ASSESSMENT.search(low) and words >= _MIN_WORDS:
        return [("assessment", NoteItem(kind="diagnosis", text=text, provenance=provenance))]
    if _INSTRUCTION.search(low) and words >= 5 and not has_medication:
        return [("plan", NoteItem(kind="instruction", text=text, provenance=provenance))]
    if _HISTORY_VET.search(low) and words >= 5 and _HISTORY_CUE.search(low):
        return [("subjective", NoteItem(kind="history", text=text, provenance=provenance))]
    return []


def structured_findings(sentence: Sentence) -> tuple[list[dict], list[dict]]:
    """AAEP lameness grades and Triadan tooth numbers stated in a clinician sentence."""
    if not sentence.by_clinician:
        return [], []
    lameness, teeth = [], []
    low = sentence.lower
    for match in _LAMENESS.finditer(low):
        grade = int(next(g for g in match.groups() if g is not None))
        if 0 <= grade <= 5:
            limb = _LIMB.search(low)
            lameness.append({"grade": grade, "scale": "AAEP 0-5", "limb": limb.group(1) if limb else None,
                             "provenance": sentence.provenance(*match.span()).model_dump()})
    if _TRIADAN_CUE.search(low):
        for match in _TRIADAN.finditer(low):
            teeth.append({"tooth": match.group(1), "finding": clean(sentence.text),
                          "provenance": sentence.provenance(*match.span()).model_dump()})
    return lameness, teeth
