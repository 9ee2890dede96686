"""Every word of reports, figures and the dashboard, in English and Chinese, and the Chinese
font for figures."""
