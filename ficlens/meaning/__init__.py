"""Meaning: what the story is about, read off the people and the text.

One stage a file: ``fandoms`` (declared and inferred fandoms, canonical character names),
``relationships`` (pairs, kinds, AO3 notation), ``tags`` (freeform tags, rating, archive
warnings, category), ``arc`` (the emotional arc). Each fills its part of ``Analysis``.
"""
