"""jamsos: a regency's registry of BPJS Ketenagakerjaan protection and its own death benefit."""

__version__ = "0.1.0"
