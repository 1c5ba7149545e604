"""Order documents: the order as a PDF, CSV or XLSX file, cached by the order's version."""
