"""The `lantern` command line: thin wrappers that read files, call the libraries, write JSON."""
