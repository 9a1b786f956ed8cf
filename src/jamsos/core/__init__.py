"""The ground floor every app may use and that uses no app: masking, and (growing) the shared
kit of errors, dates, money and downloads."""
