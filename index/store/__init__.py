"""What lies on disk and is read at search time: snapshots, the build lock, progress and decisions files."""
