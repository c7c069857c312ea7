"""GS1 identifiers: check digits, application identifiers, the EPC Tag Data Standard codec
and GS1 Digital Link."""
