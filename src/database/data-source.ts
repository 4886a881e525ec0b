import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** For the TypeORM CLI (`npm run migration:*`): the same options as the application. */
export default new DataSource(buildDataSourceOptions(loadConfig()));
