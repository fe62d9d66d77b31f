"""The dashboard's page scripts: each renders one page from the shared modules of pages/."""
