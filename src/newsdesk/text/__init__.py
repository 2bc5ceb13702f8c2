"""Text helpers below every stage: language codes and quotation marks.

Every stage may import this package; it imports no stage.
"""
