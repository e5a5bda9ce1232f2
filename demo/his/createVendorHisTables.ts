import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';

/**
 * The tables of the demo "vendor" HIS (demo/his/vendorHis.mapping.yaml), in the conventions of a
 * Vietnamese HIS vendor's published Entity Framework model: upper-case names, BIGINT ids, times
 * as BIGINT `yyyyMMddHHmmss`, `IS_DELETE` soft deletes, denormalized `TDL_` copies, one service
 * table (HIS_SERE_SERV) for every kind of service, names and units in code tables. Only the
 * columns the demo fills; the real tables have many more. Same DDL on PostgreSQL, PGlite and MariaDB.
 */
export async function createVendorHisTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  const id = (name: string) => schema.createTable(name).addColumn('ID', 'bigint', (c) => c.primaryKey());
  await id('HIS_PATIENT')
    .addColumn('PATIENT_CODE', 'varchar(20)')
    .addColumn('VIR_PATIENT_NAME', 'varchar(200)')
    .addColumn('DOB', 'bigint')
    .addColumn('GENDER_ID', 'bigint')
    .addColumn('CCCD_NUMBER', 'varchar(20)')
    .addColumn('CMND_NUMBER', 'varchar(20)')
    .addColumn('PASSPORT_NUMBER', 'varchar(20)')
    .addColumn('HEIN_CARD_NUMBER', 'varchar(20)')
    // The vendor's audit column (BIGINT yyyyMMddHHmmss): when the row last changed; the registration feed.
    .addColumn('MODIFY_TIME', 'bigint')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_TREATMENT')
    .addColumn('TREATMENT_CODE', 'varchar(20)')
    .addColumn('PATIENT_ID', 'bigint')
    .addColumn('IN_TIME', 'bigint')
    .addColumn('OUT_TIME', 'bigint')
    .addColumn('TDL_TREATMENT_TYPE_ID', 'bigint')
    .addColumn('IS_PAUSE', 'smallint')
    .addColumn('ICD_CODE', 'varchar(10)')
    .addColumn('ICD_NAME', 'varchar(500)')
    .addColumn('ICD_SUB_CODE', 'varchar(500)')
    .addColumn('ICD_TEXT', 'varchar(4000)')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_SERVICE_REQ')
    .addColumn('SERVICE_REQ_CODE', 'varchar(20)')
    .addColumn('TREATMENT_ID', 'bigint')
    .addColumn('TDL_PATIENT_ID', 'bigint')
    .addColumn('SERVICE_REQ_STT_ID', 'bigint')
    .addColumn('INTRUCTION_TIME', 'bigint')
    .addColumn('FINISH_TIME', 'bigint')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_SERE_SERV')
    .addColumn('SERVICE_REQ_ID', 'bigint')
    .addColumn('TDL_TREATMENT_ID', 'bigint')
    .addColumn('TDL_SERVICE_TYPE_ID', 'bigint')
    .addColumn('TDL_SERVICE_CODE', 'varchar(25)')
    .addColumn('TDL_SERVICE_NAME', 'varchar(1500)')
    .addColumn('AMOUNT', 'decimal(19, 4)')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_SERE_SERV_EXT').addColumn('SERE_SERV_ID', 'bigint').addColumn('CONCLUDE', 'varchar(4000)').execute();
  await id('HIS_TEST_INDEX_UNIT').addColumn('TEST_INDEX_UNIT_NAME', 'varchar(100)').execute();
  await id('HIS_TEST_INDEX')
    .addColumn('TEST_INDEX_CODE', 'varchar(20)')
    .addColumn('TEST_INDEX_NAME', 'varchar(500)')
    .addColumn('TEST_INDEX_UNIT_ID', 'bigint')
    .addColumn('MALE_MIN', 'decimal(19, 4)')
    .addColumn('MALE_MAX', 'decimal(19, 4)')
    .addColumn('FEMALE_MIN', 'decimal(19, 4)')
    .addColumn('FEMALE_MAX', 'decimal(19, 4)')
    .execute();
  await id('HIS_SERE_SERV_TEIN')
    .addColumn('SERE_SERV_ID', 'bigint')
    .addColumn('TEST_INDEX_ID', 'bigint')
    .addColumn('TDL_TREATMENT_ID', 'bigint')
    .addColumn('VALUE', 'varchar(200)')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_MEDICINE_USE_FORM').addColumn('MEDICINE_USE_FORM_NAME', 'varchar(100)').execute();
  await id('HIS_MEDICINE_TYPE')
    .addColumn('MEDICINE_TYPE_CODE', 'varchar(25)')
    .addColumn('MEDICINE_TYPE_NAME', 'varchar(500)')
    .addColumn('SERVICE_UNIT_NAME', 'varchar(100)')
    .addColumn('MEDICINE_USE_FORM_ID', 'bigint')
    .execute();
  await id('HIS_EXP_MEST_MEDICINE')
    .addColumn('TDL_TREATMENT_ID', 'bigint')
    .addColumn('MEDICINE_TYPE_ID', 'bigint')
    .addColumn('AMOUNT', 'decimal(19, 4)')
    .addColumn('TUTORIAL', 'varchar(1000)')
    .addColumn('EXP_TIME', 'bigint')
    .addColumn('IS_DELETE', 'smallint')
    .execute();
  await id('HIS_SERVICE_REQ_METY')
    .addColumn('SERVICE_REQ_ID', 'bigint')
    .addColumn('MEDICINE_TYPE_CODE', 'varchar(25)')
    .addColumn('MEDICINE_TYPE_NAME', 'varchar(500)')
    .addColumn('UNIT_NAME', 'varchar(100)')
    .addColumn('MEDICINE_USE_FORM_ID', 'bigint')
    .addColumn('AMOUNT', 'decimal(19, 4)')
    .addColumn('TUTORIAL', 'varchar(1000)')
    .execute();
  const indexes: readonly (readonly [string, string])[] = [
    ['HIS_PATIENT', 'CCCD_NUMBER'], ['HIS_PATIENT', 'DOB'], ['HIS_TREATMENT', 'PATIENT_ID'], ['HIS_SERVICE_REQ', 'TREATMENT_ID'],
    ['HIS_SERE_SERV', 'TDL_TREATMENT_ID'], ['HIS_SERE_SERV_TEIN', 'TDL_TREATMENT_ID'], ['HIS_EXP_MEST_MEDICINE', 'TDL_TREATMENT_ID'],
    ['HIS_SERVICE_REQ_METY', 'SERVICE_REQ_ID'],
  ];
  for (const [table, column] of indexes) await executor.db.schema.createIndex(`${table}_${column}_IX`).on(table).column(column).execute();
}
