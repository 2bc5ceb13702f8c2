"""newsdesk.present"""
