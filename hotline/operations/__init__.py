"""Operating the installation: backing up and restoring the database and the attachments."""
