"""newsdesk.pipeline"""
