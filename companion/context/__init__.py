"""Patient context read off the PIMS page: the typed model and (from the selector-map work) its parser."""

from companion.context.model import Medication, PatientContext, Species, Weight

__all__ = ["Medication", "PatientContext", "Species", "Weight"]
