import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.cjs';

// zod/mini ships without messages ("Invalid input"); audit reasons must say what is wrong.
config(en());
