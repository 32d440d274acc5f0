"""Loading the iJw berichtenverkeer (release 3.2) into the warehouse: docs/ijw.md."""
