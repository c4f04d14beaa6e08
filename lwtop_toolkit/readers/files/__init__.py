"""readers/files"""
