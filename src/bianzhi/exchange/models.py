"""数据共享 (brief §2.0): what the partner departments (组织部、财政、人社…) read and send."""
