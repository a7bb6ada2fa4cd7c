"""The base every part stands on: settings, errors, declarations, periods, German format, palette."""
