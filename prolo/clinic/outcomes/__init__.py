"""Outcome measures as pure data and arithmetic: no database, no Django.

`instruments` describes each questionnaire (items, answers, subscales, range, direction,
recall, MCID, licence, LOINC), `scoring` turns raw answers into exact scores with the rule
version used, and `benefit` compares a follow-up with the baseline. See docs/outcomes.md.
"""
